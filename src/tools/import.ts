/**
 * `npm run import <file>`: loads a file written by `npm run export` into the database named by
 * DATABASE_URL (migrated first), in one transaction. Sources and cases are upserted, aliases
 * replaced, events matched by seed_key or by (case, date, origin, created_at); importing the same
 * file again changes nothing. The file is checked completely before the database is even opened.
 * With "-" the file is read from stdin. Also the way to move from SQLite to PostgreSQL.
 */
import { readFileSync } from "node:fs";
import { ConfigError, loadDatabaseConfig } from "../config/config.js";
import { openDatabase } from "../store/db.js";
import { migrateToLatest } from "../store/migrate.js";
import { formatImportSummary, importPublicData, parseExport, PublicDataError } from "../store/public-data.js";
import { describeDatabase } from "./database.js";

class UsageError extends Error {}

async function main(args: string[]): Promise<void> {
  const file = args[0];
  if (file === undefined || args.length > 1 || file === "--help" || file === "-h") {
    throw new UsageError("usage: npm run import <file>   (a file written by npm run export; DATABASE_URL names the database)");
  }
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    throw new UsageError(`import: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let data;
  try {
    data = parseExport(text);
  } catch (err) {
    if (err instanceof PublicDataError) throw new UsageError(`import: ${file} is not a valid export: ${err.message}; nothing was written`);
    throw err;
  }
  const config = loadDatabaseConfig();
  const db = await openDatabase(config);
  try {
    await migrateToLatest(db);
    const summary = await importPublicData(db, data);
    process.stderr.write(`import: ${formatImportSummary(summary)} from ${file} into ${describeDatabase(config)}${summary.changed ? "" : " (nothing changed)"}\n`);
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message =
    err instanceof UsageError || err instanceof ConfigError
      ? err.message
      : `import failed, no data was imported: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`${message.split("\n")[0]}\n`);
  process.exitCode = 1;
});

/**
 * `npm run export [file]`: writes the bot's public data (sources, cases with aliases, timeline
 * events with every translation) as JSON to the file, or to stdout without one (or with "-").
 * Nothing about users is included. Reads the database named by DATABASE_URL and never writes to it.
 */
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { ConfigError, loadDatabaseConfig } from "../config/config.js";
import { openDatabase } from "../store/db.js";
import { pendingMigrations } from "../store/migrate.js";
import { exportPublicData } from "../store/public-data.js";
import { describeDatabase } from "./database.js";

class UsageError extends Error {}

async function main(args: string[]): Promise<void> {
  if (args.length > 1 || args[0] === "--help" || args[0] === "-h") {
    throw new UsageError("usage: npm run export [file]   (DATABASE_URL names the database; no file: stdout)");
  }
  const file = args[0] === "-" ? undefined : args[0];
  const config = loadDatabaseConfig();
  if (config.kind === "sqlite" && config.file !== ":memory:" && !existsSync(config.file)) {
    throw new ConfigError("DATABASE_URL", `no SQLite database at ${config.file}`);
  }
  const db = await openDatabase(config);
  let text: string;
  let counts: string;
  try {
    const pending = await pendingMigrations(db);
    if (pending.length > 0) {
      throw new Error(`the database is not at the latest schema (pending: ${pending.join(", ")}); start the bot once to migrate it`);
    }
    const data = await exportPublicData(db);
    text = `${JSON.stringify(data, null, 2)}\n`;
    const aliases = data.cases.reduce((n, c) => n + c.aliases.length, 0);
    counts = `${data.sources.length} sources, ${data.cases.length} cases, ${aliases} aliases, ${data.events.length} events`;
  } finally {
    await db.destroy();
  }
  if (file === undefined) {
    process.stdout.write(text);
  } else {
    // Written beside the target and renamed, so an interrupted export never leaves half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text, "utf8");
    renameSync(tmp, file);
  }
  process.stderr.write(`export: ${counts} from ${describeDatabase(config)} to ${file ?? "stdout"}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof UsageError || err instanceof ConfigError ? err.message : `export failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`${message.split("\n")[0]}\n`);
  process.exitCode = 1;
});

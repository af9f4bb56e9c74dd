import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { migrations } from "../../db/migrations/index.js";
import { openSqlite } from "../../src/store/db.js";
import { ROOT } from "../helpers/process.js";

const DB_MODULE = pathToFileURL(`${ROOT}src/store/db.ts`).href;
const MIGRATE_MODULE = pathToFileURL(`${ROOT}src/store/migrate.ts`).href;

/** One process starting up: opens the SQLite file and brings it to the latest schema, as createApp does. */
function migrateInChild(file: string): Promise<{ code: number | null; stderr: string }> {
  const code = `
    import { openSqlite } from ${JSON.stringify(DB_MODULE)};
    import { migrateToLatest } from ${JSON.stringify(MIGRATE_MODULE)};
    const db = openSqlite(${JSON.stringify(file)});
    try { await migrateToLatest(db); } finally { await db.destroy(); }
  `;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (c) => resolve({ code: c, stderr }));
  });
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("migrations on one SQLite file", () => {
  it("several processes migrating one fresh file at once all succeed, and each migration runs once", async () => {
    dir = mkdtempSync(join(tmpdir(), "casebot-migrate-"));
    const file = join(dir, "shared.sqlite");
    const results = await Promise.all(Array.from({ length: 5 }, () => migrateInChild(file)));
    for (const r of results) expect(r.stderr, r.stderr).toBe("");
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    const db = openSqlite(file);
    try {
      const rows = await db.selectFrom("kysely_migration" as never).select("name" as never).execute();
      expect(rows.map((r) => (r as { name: string }).name).sort()).toEqual(Object.keys(migrations).sort());
    } finally {
      await db.destroy();
    }
  }, 60_000);
});

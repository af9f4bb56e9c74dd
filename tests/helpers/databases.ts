import { randomBytes } from "node:crypto";
import pg from "pg";
import { type DB, openDatabase, openSqlite } from "../../src/store/db.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { applySeed } from "../../src/store/seed.js";

export interface TestDatabase {
  db: DB;
  cleanup(): Promise<void>;
}

export interface DatabaseKind {
  name: string;
  open(): Promise<TestDatabase>;
}

/** PostgreSQL runs where TEST_POSTGRES_URL names a server (.ci/run starts one); SQLite everywhere. */
export const POSTGRES_URL = process.env["TEST_POSTGRES_URL"];

async function openPostgres(): Promise<TestDatabase> {
  const name = `casebot_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL!);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: "postgres", url: url.href });
  return {
    db,
    cleanup: async () => {
      await db.destroy();
      await dropTestDatabase(name);
    },
  };
}

/**
 * Drops a database made for a test on the TEST_POSTGRES_URL server. FORCE ends the connections left
 * open, but a role that is no superuser may not end an autovacuum worker (one often starts on a freshly
 * seeded database): PostgreSQL refuses with 42501, or 55006 while one is still attached. Such a worker
 * finishes in moments, so the drop is tried again for up to 20 s.
 */
export async function dropTestDatabase(name: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if ((code !== "42501" && code !== "55006") || Date.now() > deadline) throw e;
    } finally {
      await c.end();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const DATABASES: DatabaseKind[] = [
  { name: "sqlite", open: async () => { const db = openSqlite(":memory:"); return { db, cleanup: () => db.destroy() }; } },
  ...(POSTGRES_URL ? [{ name: "postgres", open: openPostgres }] : []),
];

/** A fresh database of that kind with the schema and the report's cases. */
export async function seededDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const t = await kind.open();
  await migrateToLatest(t.db);
  await applySeed(t.db);
  return t;
}

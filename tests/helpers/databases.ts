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
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
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

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import type { DatabaseConfig } from "../config/config.js";
import type { Database } from "./schema.js";

export type DB = Kysely<Database>;

/** Opens the embedded SQLite file (creating its folder) or a PostgreSQL pool. */
export async function openDatabase(config: DatabaseConfig): Promise<DB> {
  if (config.kind === "sqlite") return openSqlite(config.file);
  const pg = await import("pg");
  // Telegram ids exceed 2^31: read BIGINT as a JS number (they stay below 2^53).
  pg.default.types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.default.Pool({ connectionString: config.url, max: 10 });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export function openSqlite(file: string): DB {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  database.pragma("busy_timeout = 5000");
  database.pragma("synchronous = NORMAL");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}

import { PostgresAdapter } from "kysely";
import type { DB } from "./db.js";

/** The few places where SQLite and PostgreSQL differ ask this. */
export function isPostgres(db: DB): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

import { sql } from "kysely";
import type { DB } from "./db.js";

/**
 * True when the database answers a trivial query within `timeoutMs`. A database that hangs (a
 * PostgreSQL outage, a dead pool) must make /healthz say so within seconds, not hang with it.
 */
export async function pingDatabase(db: DB, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const query = sql`select 1 as ok`.execute(db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

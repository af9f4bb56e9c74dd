import type { DB } from "./db.js";

/** Records that a worker is alive and returns how many workers are (seen within `liveMs`). */
export async function heartbeat(db: DB, id: string, nowMs: number, liveMs: number): Promise<number> {
  await db
    .insertInto("outbox_workers")
    .values({ id, seen_at: nowMs })
    .onConflict((oc) => oc.column("id").doUpdateSet({ seen_at: nowMs }))
    .execute();
  await db.deleteFrom("outbox_workers").where("seen_at", "<", nowMs - 10 * liveMs).execute();
  const row = await db
    .selectFrom("outbox_workers")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("seen_at", ">=", nowMs - liveMs)
    .executeTakeFirstOrThrow();
  return Math.max(1, Number(row.n));
}

export async function removeWorker(db: DB, id: string): Promise<void> {
  await db.deleteFrom("outbox_workers").where("id", "=", id).execute();
}

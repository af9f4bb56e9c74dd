import type { DB } from "./db.js";
import type { SendBudgetTable } from "./schema.js";

export type BudgetRow = SendBudgetTable;

/**
 * Records this process's row and returns the rows of every process seen within `liveMs`, itself
 * included. Rows long gone (a killed process) are deleted on the way.
 */
export async function beat(db: DB, row: BudgetRow, liveMs: number): Promise<BudgetRow[]> {
  const { id, ...rest } = row;
  await db
    .insertInto("send_budget")
    .values(row)
    .onConflict((oc) => oc.column("id").doUpdateSet(rest))
    .execute();
  await db.deleteFrom("send_budget").where("seen_at", "<", row.seen_at - 20 * liveMs).execute();
  const rows = await db.selectFrom("send_budget").selectAll().where("seen_at", ">=", row.seen_at - liveMs).orderBy("id").execute();
  return rows.map((r) => ({ ...r, seen_at: Number(r.seen_at), interactive: Number(r.interactive) }));
}

export async function leave(db: DB, id: string): Promise<void> {
  await db.deleteFrom("send_budget").where("id", "=", id).execute();
}

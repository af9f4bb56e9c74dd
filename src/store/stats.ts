import { sql } from "kysely";
import type { DB } from "./db.js";

export interface KeyCount {
  key: string;
  count: number;
}

/** Public cases (those a second moderator has confirmed) counted by one of their closed vocabularies. */
export async function countVisibleCasesBy(db: DB, column: "category" | "status"): Promise<KeyCount[]> {
  const rows = await db
    .selectFrom("cases")
    .select([column, (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("visible", "=", 1)
    .groupBy(column)
    .execute();
  return rows.map((r) => ({ key: String(r[column]), count: Number(r.n) }));
}

/**
 * Approved updates (timeline events of origin "update") per month of approval, from `sinceMonth`
 * ("YYYY-MM") on. `created_at` is an ISO timestamp in both dialects, so its first seven characters
 * are the month, and the text comparison is a date comparison.
 */
export async function countUpdatesByMonth(db: DB, sinceMonth: string): Promise<KeyCount[]> {
  const month = sql<string>`substr(${sql.ref("case_events.created_at")}, 1, 7)`;
  const rows = await db
    .selectFrom("case_events")
    .innerJoin("cases", "cases.slug", "case_events.case_slug")
    .select([month.as("month"), (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("case_events.origin", "=", "update")
    .where("cases.visible", "=", 1)
    .where("case_events.created_at", ">=", sinceMonth)
    .groupBy(month)
    .execute();
  return rows.map((r) => ({ key: r.month, count: Number(r.n) }));
}

/** All approved updates of public cases, ever. */
export async function countUpdates(db: DB): Promise<number> {
  const row = await db
    .selectFrom("case_events")
    .innerJoin("cases", "cases.slug", "case_events.case_slug")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("case_events.origin", "=", "update")
    .where("cases.visible", "=", 1)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

import type { DB } from "./db.js";
import { EVENT_CONTENT_COLUMNS, type EventContentRow } from "./events.js";

/** An approved update with the names of its person: one entry of a feed. */
export type FeedRow = EventContentRow & {
  id: number;
  case_slug: string;
  origin: string;
  created_at: string;
  name_en: string;
  name_ru: string | null;
  name_kk: string | null;
};

/**
 * The newest approved updates (timeline events of origin "update") of public cases, newest approval
 * first; of one case when `slug` is given. Only published text: submissions and their authors live
 * in other tables and are never read here.
 */
export async function latestUpdates(db: DB, limit: number, slug?: string): Promise<FeedRow[]> {
  let q = db
    .selectFrom("case_events as e")
    .innerJoin("cases as c", "c.slug", "e.case_slug")
    .select(["e.id", "e.case_slug", "e.origin", "e.created_at", "c.name_en", "c.name_ru", "c.name_kk"])
    .select(EVENT_CONTENT_COLUMNS.map((column) => `e.${column}` as const))
    .where("e.origin", "=", "update")
    .where("c.visible", "=", 1);
  if (slug !== undefined) q = q.where("e.case_slug", "=", slug);
  const rows = await q.orderBy("e.created_at", "desc").orderBy("e.id", "desc").limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** The names of the public case with this slug, or undefined. */
export async function publicCaseNames(db: DB, slug: string) {
  return db
    .selectFrom("cases")
    .select(["name_en", "name_ru", "name_kk", "name_kk_latn"])
    .where("slug", "=", slug)
    .where("visible", "=", 1)
    .executeTakeFirst();
}

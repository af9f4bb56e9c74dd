import type { DB } from "./db.js";

/** An approved update with the names of its person: one entry of a feed. */
export interface FeedRow {
  id: number;
  case_slug: string;
  event_date: string;
  original_lang: string;
  text_en: string | null;
  text_ru: string | null;
  text_kk: string | null;
  source_url: string | null;
  update_type: string | null;
  status_from: string | null;
  status_to: string | null;
  hearing_date: string | null;
  created_at: string;
  name_en: string;
  name_ru: string | null;
  name_kk: string | null;
}

/**
 * The newest approved updates (timeline events of origin "update") of public cases, newest approval
 * first; of one case when `slug` is given. Only published text: submissions and their authors live
 * in other tables and are never read here.
 */
export async function latestUpdates(db: DB, limit: number, slug?: string): Promise<FeedRow[]> {
  let q = db
    .selectFrom("case_events as e")
    .innerJoin("cases as c", "c.slug", "e.case_slug")
    .select([
      "e.id",
      "e.case_slug",
      "e.event_date",
      "e.original_lang",
      "e.text_en",
      "e.text_ru",
      "e.text_kk",
      "e.source_url",
      "e.update_type",
      "e.status_from",
      "e.status_to",
      "e.hearing_date",
      "e.created_at",
      "c.name_en",
      "c.name_ru",
      "c.name_kk",
    ])
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

import { sql } from "kysely";
import { type CaseBrief, type CaseDetail, type CaseListItem, type CaseSource, localized, type StatusFreshness } from "../domain/case.js";
import { type Category, isCategory } from "../domain/codes.js";
import type { DB } from "./db.js";
import { toEvent } from "./events.js";
import type { CaseRow, SourceRow } from "./schema.js";

function toBrief(row: Pick<CaseRow, "slug" | "category" | "status" | "name_en" | "name_ru" | "name_kk" | "name_kk_latn">): CaseBrief {
  if (!isCategory(row.category)) throw new Error(`case ${row.slug} has an unknown category ${row.category}`);
  return {
    slug: row.slug,
    category: row.category,
    status: row.status,
    names: { en: row.name_en, ru: row.name_ru, kk: row.name_kk, kkLatn: row.name_kk_latn },
  };
}

function toSource(row: SourceRow): CaseSource {
  return { id: row.id, asOf: row.as_of, title: localized(row.title_en, row.title_ru, row.title_kk), url: row.url };
}

const BRIEF_COLUMNS = ["slug", "category", "status", "name_en", "name_ru", "name_kk", "name_kk_latn"] as const;

type FreshnessRow = Pick<CaseRow, "origin" | "created_at" | "status_changed_at" | "status_source" | "status_reviewed_at" | "status_review_source" | "added_source">;
const FRESHNESS_COLUMNS = [
  "cases.origin",
  "cases.created_at",
  "cases.status_changed_at",
  "cases.status_source",
  "cases.status_reviewed_at",
  "cases.status_review_source",
  "cases.added_source",
] as const;

/**
 * How current the status is, from the case row and the as-of month of its report. A review counts
 * only when it is later than the status it confirmed (status writes clear it; this is the safety net).
 */
export function statusFreshness(row: FreshnessRow, reportAsOf: string | null): StatusFreshness {
  let basis: StatusFreshness["basis"];
  let since: string;
  let sinceSource: string | null;
  if (row.status_changed_at !== null) {
    basis = "changed";
    since = row.status_changed_at;
    sinceSource = row.status_source;
  } else if (row.origin === "moderators" || reportAsOf === null) {
    basis = "added";
    since = row.created_at;
    sinceSource = row.added_source;
  } else {
    basis = "report";
    since = reportAsOf;
    sinceSource = null;
  }
  const reviewed = row.status_reviewed_at !== null && row.status_reviewed_at > since;
  return {
    basis,
    since,
    sinceSource,
    reviewedAt: reviewed ? row.status_reviewed_at : null,
    reviewSource: reviewed ? row.status_review_source : null,
    confirmedAt: reviewed && row.status_reviewed_at !== null ? row.status_reviewed_at : since,
  };
}

/**
 * When a case's status was last confirmed, in SQL (same rule as statusFreshness; a review is cleared
 * whenever the status changes, so the first of these that is set is the latest).
 */
const CONFIRMED_AT = sql<string>`coalesce(cases.status_reviewed_at, cases.status_changed_at, case when cases.origin = 'moderators' or sources.as_of is null then cases.created_at else sources.as_of end)`;

/** Every case with its names and aliases: the input of the search index. */
export async function listSearchable(db: DB): Promise<Array<CaseBrief & { aliases: string[] }>> {
  const rows = await db.selectFrom("cases").select(BRIEF_COLUMNS).where("visible", "=", 1).orderBy("name_en").execute();
  const aliases = await db.selectFrom("case_aliases").select(["case_slug", "alias"]).execute();
  const bySlug = new Map<string, string[]>();
  for (const a of aliases) {
    const list = bySlug.get(a.case_slug);
    if (list) list.push(a.alias);
    else bySlug.set(a.case_slug, [a.alias]);
  }
  return rows.map((row) => ({ ...toBrief(row), aliases: bySlug.get(row.slug) ?? [] }));
}

export async function findCase(db: DB, slug: string): Promise<CaseDetail | undefined> {
  const row = await db.selectFrom("cases").selectAll().where("slug", "=", slug).executeTakeFirst();
  if (!row) return undefined;
  const [aliases, events, source] = await Promise.all([
    db.selectFrom("case_aliases").select("alias").where("case_slug", "=", slug).orderBy("alias").execute(),
    db.selectFrom("case_events").selectAll().where("case_slug", "=", slug).orderBy("event_date").orderBy("id").execute(),
    row.source_id === null
      ? Promise.resolve(undefined)
      : db.selectFrom("sources").selectAll().where("id", "=", row.source_id).executeTakeFirst(),
  ]);
  return {
    ...toBrief(row),
    role: row.role,
    origin: row.origin === "moderators" ? "moderators" : "report",
    nameConfirmed: row.name_ru_confirmed === 1 && row.name_kk_confirmed === 1,
    spellingConfirmed: { ru: row.name_ru_confirmed === 1, kk: row.name_kk_confirmed === 1 },
    aliases: aliases.map((a) => a.alias),
    summary: localized(row.summary_en, row.summary_ru, row.summary_kk),
    source: source ? toSource(source) : null,
    statusChangedAt: row.status_changed_at,
    statusSource: row.status_source,
    addedSource: row.added_source,
    createdAt: row.created_at,
    freshness: statusFreshness(row, source?.as_of ?? null),
    events: events.map(toEvent),
  };
}

export async function countByCategory(db: DB): Promise<Map<Category, number>> {
  const rows = await db
    .selectFrom("cases")
    .select(["category", (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("visible", "=", 1)
    .groupBy("category")
    .execute();
  const counts = new Map<Category, number>();
  for (const row of rows) if (isCategory(row.category)) counts.set(row.category, Number(row.n));
  return counts;
}

/** Visible cases with what a list shows of each (names, status and how current it is); the caller orders and pages. */
function listItems(db: DB) {
  return db
    .selectFrom("cases")
    .leftJoin("sources", "sources.id", "cases.source_id")
    .select(BRIEF_COLUMNS.map((c) => `cases.${c}` as const))
    .select(FRESHNESS_COLUMNS)
    .select("sources.as_of")
    .where("cases.visible", "=", 1);
}

function toListItem(row: Parameters<typeof toBrief>[0] & FreshnessRow & { as_of: string | null }): CaseListItem {
  return { ...toBrief(row), freshness: statusFreshness(row, row.as_of) };
}

export async function listByCategory(db: DB, category: Category, offset: number, limit: number): Promise<CaseListItem[]> {
  const rows = await listItems(db).where("cases.category", "=", category).orderBy("cases.name_en").offset(offset).limit(limit).execute();
  return rows.map(toListItem);
}

/** Visible cases by when their status was last confirmed, oldest first (ties by name): for /stale. */
export async function listByConfirmedAt(db: DB, offset: number, limit: number): Promise<CaseListItem[]> {
  const rows = await listItems(db).orderBy(CONFIRMED_AT).orderBy("cases.name_en").orderBy("cases.slug").offset(offset).limit(limit).execute();
  return rows.map(toListItem);
}

export async function countVisible(db: DB): Promise<number> {
  const row = await db
    .selectFrom("cases")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("visible", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The newest report the seed data came from (for "as of" lines outside a single card). */
export async function latestSource(db: DB): Promise<CaseSource | undefined> {
  const row = await db.selectFrom("sources").selectAll().orderBy("as_of", "desc").executeTakeFirst();
  return row ? toSource(row) : undefined;
}

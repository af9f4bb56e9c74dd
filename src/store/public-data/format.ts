import { CATEGORIES, LANGS, ROLES, SLUG_PATTERN, STATUSES } from "../../domain/codes.js";
import type { CaseEventRow, CaseRow, SourceRow } from "../schema.js";

/**
 * The public data of the bot (sources, cases with their aliases, timeline events with every
 * translation) as a portable JSON document: a backup, and the way to move from one database to
 * another (SQLite to PostgreSQL). Nothing about people who use the bot is ever part of it: no users,
 * subscriptions, submissions, audit log, deliveries, conversation state or meta.
 */
/* The document's format: its columns, its types (derived from schema.ts) and its validation. */

export const EXPORT_FORMAT = "kz-casebot-export";
export const EXPORT_VERSION = 1;

export const SOURCE_COLUMNS = ["id", "as_of", "title_en", "title_ru", "title_kk", "url"] as const;
export const CASE_COLUMNS = [
  "slug",
  "category",
  "role",
  "status",
  "origin",
  "source_id",
  "name_en",
  "name_ru",
  "name_kk",
  "name_kk_latn",
  "name_confirmed",
  "summary_en",
  "summary_ru",
  "summary_kk",
  "status_changed_at",
  "status_source",
  "added_source",
  "created_at",
  "updated_at",
] as const;
export const EVENT_COLUMNS = [
  "case_slug",
  "event_date",
  "origin",
  "seed_key",
  "original_lang",
  "text_en",
  "text_ru",
  "text_kk",
  "source_url",
  "update_type",
  "status_from",
  "status_to",
  "hearing_date",
  "created_at",
] as const;

/** Rows as schema.ts declares them, the columns the document carries. */
export type ExportedSource = Pick<SourceRow, (typeof SOURCE_COLUMNS)[number]>;

export type ExportedCase = Omit<Pick<CaseRow, (typeof CASE_COLUMNS)[number]>, "name_confirmed"> & { name_confirmed: 0 | 1; aliases: string[] };

export type ExportedEvent = Pick<CaseEventRow, (typeof EVENT_COLUMNS)[number]> & {
  /** The id in the exporting database: informative only, never reused on import. */
  id?: number;
};

export interface PublicData {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exported_at: string;
  sources: ExportedSource[];
  cases: ExportedCase[];
  events: ExportedEvent[];
}

export interface TableCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary {
  sources: TableCounts;
  cases: TableCounts;
  /** Cases whose alias list was replaced because it differed; `total` is the number of aliases in the file. */
  aliases: { total: number; replaced: number };
  events: TableCounts;
  /** True when anything was written (then the cases revision is bumped so running bots refresh). */
  changed: boolean;
}

/** Code-unit order: the same on every database, whatever its collation. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class PublicDataError extends Error {
  override name = "PublicDataError";
}

type Obj = Record<string, unknown>;
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

function obj(v: unknown, where: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new PublicDataError(`${where}: expected an object`);
  return v as Obj;
}
function arr(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new PublicDataError(`${where}: expected an array`);
  return v;
}
function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== "string" || v.trim() === "") throw new PublicDataError(`${where}.${key}: expected a non-empty string`);
  return v;
}
/** Nullable columns: a string, null, or absent (read as null). */
function optStr(o: Obj, key: string, where: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new PublicDataError(`${where}.${key}: expected a string or null`);
  return v;
}
function oneOf(o: Obj, key: string, allowed: readonly string[], where: string): string {
  const v = str(o, key, where);
  if (!allowed.includes(v)) throw new PublicDataError(`${where}.${key}: ${JSON.stringify(v)} is not one of ${allowed.join(", ")}`);
  return v;
}

/**
 * Checks a whole export (its JSON text or the parsed value) before anything is written: format and
 * version, required fields, closed vocabularies, references between its parts, duplicates.
 */
export function parseExport(json: unknown): PublicData {
  let raw = json;
  if (typeof json === "string") {
    try {
      raw = JSON.parse(json);
    } catch (err) {
      throw new PublicDataError(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const root = obj(raw, "file");
  if (root["format"] !== EXPORT_FORMAT) {
    throw new PublicDataError(`format: expected ${JSON.stringify(EXPORT_FORMAT)}, got ${JSON.stringify(root["format"] ?? null)}`);
  }
  if (root["version"] !== EXPORT_VERSION) {
    throw new PublicDataError(`version: expected ${EXPORT_VERSION}, got ${JSON.stringify(root["version"] ?? null)} (this tool reads version ${EXPORT_VERSION} only)`);
  }
  const exportedAt = str(root, "exported_at", "file");

  const sourceIds = new Set<string>();
  const sources = arr(root["sources"], "sources").map((v, i): ExportedSource => {
    const where = `sources[${i}]`;
    const o = obj(v, where);
    const id = str(o, "id", where);
    if (sourceIds.has(id)) throw new PublicDataError(`${where}.id: ${JSON.stringify(id)} appears twice`);
    sourceIds.add(id);
    return {
      id,
      as_of: str(o, "as_of", where),
      title_en: str(o, "title_en", where),
      title_ru: optStr(o, "title_ru", where),
      title_kk: optStr(o, "title_kk", where),
      url: optStr(o, "url", where),
    };
  });

  const slugs = new Set<string>();
  const cases = arr(root["cases"], "cases").map((v, i): ExportedCase => {
    let where = `cases[${i}]`;
    const o = obj(v, where);
    const slug = str(o, "slug", where);
    if (!SLUG_PATTERN.test(slug)) throw new PublicDataError(`${where}.slug: ${JSON.stringify(slug)} is not a slug`);
    if (slugs.has(slug)) throw new PublicDataError(`${where}.slug: ${slug} appears twice`);
    slugs.add(slug);
    where = `cases[${i}] (${slug})`;
    const sourceId = optStr(o, "source_id", where);
    if (sourceId !== null && !sourceIds.has(sourceId)) {
      throw new PublicDataError(`${where}.source_id: ${JSON.stringify(sourceId)} is not among the file's sources`);
    }
    const confirmed = o["name_confirmed"];
    if (confirmed !== 0 && confirmed !== 1) throw new PublicDataError(`${where}.name_confirmed: expected 0 or 1`);
    const aliases = arr(o["aliases"] ?? [], `${where}.aliases`).map((a, j) => {
      if (typeof a !== "string" || a.trim() === "") throw new PublicDataError(`${where}.aliases[${j}]: expected a non-empty string`);
      return a;
    });
    const dup = aliases.find((a, j) => aliases.indexOf(a) !== j);
    if (dup !== undefined) throw new PublicDataError(`${where}.aliases: ${JSON.stringify(dup)} appears twice`);
    return {
      slug,
      category: oneOf(o, "category", CATEGORIES, where),
      role: oneOf(o, "role", ROLES, where),
      status: oneOf(o, "status", STATUSES, where),
      origin: str(o, "origin", where),
      source_id: sourceId,
      name_en: str(o, "name_en", where),
      name_ru: optStr(o, "name_ru", where),
      name_kk: optStr(o, "name_kk", where),
      name_kk_latn: optStr(o, "name_kk_latn", where),
      name_confirmed: confirmed,
      summary_en: optStr(o, "summary_en", where),
      summary_ru: optStr(o, "summary_ru", where),
      summary_kk: optStr(o, "summary_kk", where),
      status_changed_at: optStr(o, "status_changed_at", where),
      status_source: optStr(o, "status_source", where),
      added_source: optStr(o, "added_source", where),
      created_at: str(o, "created_at", where),
      updated_at: str(o, "updated_at", where),
      aliases,
    };
  });

  const seedKeys = new Set<string>();
  const events = arr(root["events"], "events").map((v, i): ExportedEvent => {
    const where = `events[${i}]`;
    const o = obj(v, where);
    const caseSlug = str(o, "case_slug", where);
    if (!slugs.has(caseSlug)) throw new PublicDataError(`${where}.case_slug: ${JSON.stringify(caseSlug)} is not among the file's cases`);
    const date = str(o, "event_date", where);
    if (!DATE.test(date)) throw new PublicDataError(`${where}.event_date: ${JSON.stringify(date)} is not YYYY[-MM[-DD]]`);
    const origin = str(o, "origin", where);
    const seedKey = optStr(o, "seed_key", where);
    if (origin === "report" && seedKey === null) throw new PublicDataError(`${where}.seed_key: a report event needs its seed_key`);
    if (seedKey !== null) {
      if (seedKeys.has(seedKey)) throw new PublicDataError(`${where}.seed_key: ${JSON.stringify(seedKey)} appears twice`);
      seedKeys.add(seedKey);
    }
    const lang = oneOf(o, "original_lang", LANGS, where);
    const event: ExportedEvent = {
      case_slug: caseSlug,
      event_date: date,
      origin,
      seed_key: seedKey,
      original_lang: lang,
      text_en: optStr(o, "text_en", where),
      text_ru: optStr(o, "text_ru", where),
      text_kk: optStr(o, "text_kk", where),
      source_url: optStr(o, "source_url", where),
      update_type: optStr(o, "update_type", where),
      status_from: optStr(o, "status_from", where),
      status_to: optStr(o, "status_to", where),
      hearing_date: optStr(o, "hearing_date", where),
      created_at: str(o, "created_at", where),
    };
    const original = event[`text_${lang as "en" | "ru" | "kk"}`];
    if (original === null || original.trim() === "") {
      throw new PublicDataError(`${where}.text_${lang}: the text in the original language (${lang}) is missing`);
    }
    const id = o["id"];
    if (id !== undefined && id !== null) {
      if (typeof id !== "number" || !Number.isInteger(id)) throw new PublicDataError(`${where}.id: expected an integer`);
      event.id = id;
    }
    return event;
  });

  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exported_at: exportedAt, sources, cases, events };
}

// ---------------------------------------------------------------------------------------------
// Import


import { Migrator } from "kysely";
import { migrations } from "../../db/migrations/index.js";
import { type DatabaseConfig, loadConfig } from "../config/config.js";
import { CATEGORIES, LANGS, ROLES, SLUG_PATTERN, STATUSES } from "../domain/codes.js";
import type { DB } from "./db.js";
import { bumpCasesRevision } from "./meta.js";

/**
 * The public data of the bot (sources, cases with their aliases, timeline events with every
 * translation) as a portable JSON document: a backup, and the way to move from one database to
 * another (SQLite to PostgreSQL). Nothing about people who use the bot is ever part of it: no users,
 * subscriptions, submissions, audit log, deliveries, conversation state or meta.
 */
export const EXPORT_FORMAT = "kz-casebot-export";
export const EXPORT_VERSION = 1;

const SOURCE_COLUMNS = ["id", "as_of", "title_en", "title_ru", "title_kk", "url"] as const;
const CASE_COLUMNS = [
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
const EVENT_COLUMNS = [
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

export interface ExportedSource {
  id: string;
  as_of: string;
  title_en: string;
  title_ru: string | null;
  title_kk: string | null;
  url: string | null;
}

export interface ExportedCase {
  slug: string;
  category: string;
  role: string;
  status: string;
  origin: string;
  source_id: string | null;
  name_en: string;
  name_ru: string | null;
  name_kk: string | null;
  name_kk_latn: string | null;
  name_confirmed: 0 | 1;
  summary_en: string | null;
  summary_ru: string | null;
  summary_kk: string | null;
  status_changed_at: string | null;
  status_source: string | null;
  added_source: string | null;
  created_at: string;
  updated_at: string;
  aliases: string[];
}

export interface ExportedEvent {
  /** The id in the exporting database: informative only, never reused on import. */
  id?: number;
  case_slug: string;
  event_date: string;
  origin: string;
  seed_key: string | null;
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
}

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

export class PublicDataError extends Error {
  override name = "PublicDataError";
}

// ---------------------------------------------------------------------------------------------
// Export

/** Code-unit order: the same on every database, whatever its collation. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function exportPublicData(db: DB, now: string = new Date().toISOString()): Promise<PublicData> {
  const [sources, cases, aliases, events] = await Promise.all([
    db.selectFrom("sources").select(SOURCE_COLUMNS).execute(),
    // A new case waiting for a second moderator is not public yet.
    db.selectFrom("cases").select(CASE_COLUMNS).where("visible", "=", 1).execute(),
    db.selectFrom("case_aliases").select(["case_slug", "alias"]).execute(),
    db.selectFrom("case_events").select(["id", ...EVENT_COLUMNS]).execute(),
  ]);
  const aliasesBySlug = new Map<string, string[]>();
  for (const a of aliases) {
    const list = aliasesBySlug.get(a.case_slug);
    if (list) list.push(a.alias);
    else aliasesBySlug.set(a.case_slug, [a.alias]);
  }
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exported_at: now,
    sources: sources.sort((a, b) => cmp(a.id, b.id)).map((s) => ({ ...s })),
    cases: cases
      .sort((a, b) => cmp(a.slug, b.slug))
      .map((c) => ({
        ...c,
        name_confirmed: Number(c.name_confirmed) === 1 ? 1 : 0,
        aliases: (aliasesBySlug.get(c.slug) ?? []).sort(cmp),
      })),
    events: events
      .map((e) => ({ ...e, id: Number(e.id) }))
      .sort((a, b) => cmp(a.case_slug, b.case_slug) || a.id - b.id),
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

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

function same<T extends object>(a: T, b: T, columns: readonly (keyof T)[]): boolean {
  return columns.every((c) => a[c] === b[c]);
}

/** Identity of an event that has no seed_key: ids differ between databases, these columns do not. */
function eventKey(e: Pick<ExportedEvent, "case_slug" | "event_date" | "origin" | "created_at">): string {
  return JSON.stringify([e.case_slug, e.event_date, e.origin, e.created_at]);
}

function pickEvent(e: ExportedEvent) {
  return {
    case_slug: e.case_slug,
    event_date: e.event_date,
    origin: e.origin,
    seed_key: e.seed_key,
    original_lang: e.original_lang,
    text_en: e.text_en,
    text_ru: e.text_ru,
    text_kk: e.text_kk,
    source_url: e.source_url,
    update_type: e.update_type,
    status_from: e.status_from,
    status_to: e.status_to,
    hearing_date: e.hearing_date,
    created_at: e.created_at,
  };
}

/**
 * Loads an export into the database in one transaction: sources and cases upserted by primary key,
 * each imported case's aliases replaced, report events upserted by seed_key, other events matched by
 * (case_slug, event_date, origin, created_at) and updated, or inserted with a new id. Rows that are
 * already equal are not written, so importing the same file twice changes nothing. The data is
 * validated again first; an invalid document throws PublicDataError and writes nothing.
 */
export async function importPublicData(db: DB, input: PublicData | unknown, now: string = new Date().toISOString()): Promise<ImportSummary> {
  const data = parseExport(input);
  return db.transaction().execute(async (trx) => {
    const summary: ImportSummary = {
      sources: { inserted: 0, updated: 0, unchanged: 0 },
      cases: { inserted: 0, updated: 0, unchanged: 0 },
      aliases: { total: 0, replaced: 0 },
      events: { inserted: 0, updated: 0, unchanged: 0 },
      changed: false,
    };

    const existingSources = new Map((await trx.selectFrom("sources").select(SOURCE_COLUMNS).execute()).map((s) => [s.id, s]));
    for (const s of data.sources) {
      const old = existingSources.get(s.id);
      if (old && same<ExportedSource>(old, s, SOURCE_COLUMNS)) {
        summary.sources.unchanged++;
        continue;
      }
      const { id, ...rest } = s;
      await trx
        .insertInto("sources")
        .values(s)
        .onConflict((oc) => oc.column("id").doUpdateSet(rest))
        .execute();
      summary.sources[old ? "updated" : "inserted"]++;
    }

    const existingCases = new Map((await trx.selectFrom("cases").select(CASE_COLUMNS).execute()).map((c) => [c.slug, c]));
    const existingAliases = new Map<string, string[]>();
    for (const a of await trx.selectFrom("case_aliases").select(["case_slug", "alias"]).execute()) {
      const list = existingAliases.get(a.case_slug);
      if (list) list.push(a.alias);
      else existingAliases.set(a.case_slug, [a.alias]);
    }
    for (const c of data.cases) {
      const { aliases, ...row } = c;
      const old = existingCases.get(c.slug);
      const oldRow = old ? { ...old, name_confirmed: Number(old.name_confirmed) } : undefined;
      if (oldRow && same(oldRow, row, CASE_COLUMNS)) {
        summary.cases.unchanged++;
      } else {
        const { slug, ...rest } = row;
        await trx
          .insertInto("cases")
          .values(row)
          .onConflict((oc) => oc.column("slug").doUpdateSet(rest))
          .execute();
        summary.cases[old ? "updated" : "inserted"]++;
      }

      summary.aliases.total += aliases.length;
      const before = [...(existingAliases.get(c.slug) ?? [])].sort(cmp);
      const after = [...aliases].sort(cmp);
      if (before.length !== after.length || before.some((a, i) => a !== after[i])) {
        await trx.deleteFrom("case_aliases").where("case_slug", "=", c.slug).execute();
        if (after.length > 0) {
          await trx.insertInto("case_aliases").values(after.map((alias) => ({ case_slug: c.slug, alias }))).execute();
        }
        summary.aliases.replaced++;
      }
    }

    const existingEvents = await trx.selectFrom("case_events").select(["id", ...EVENT_COLUMNS]).execute();
    existingEvents.sort((a, b) => Number(a.id) - Number(b.id));
    const bySeedKey = new Map<string, (typeof existingEvents)[number]>();
    const byKey = new Map<string, Array<(typeof existingEvents)[number]>>();
    for (const e of existingEvents) {
      if (e.seed_key !== null) {
        bySeedKey.set(e.seed_key, e);
        continue;
      }
      const k = eventKey(e);
      const list = byKey.get(k);
      if (list) list.push(e);
      else byKey.set(k, [e]);
    }
    // Events without a seed_key that share a key are paired in order (the n-th in the file with
    // the n-th oldest in the database), so that even such twins import idempotently.
    const used = new Map<string, number>();
    for (const e of data.events) {
      const row = pickEvent(e);
      let old: (typeof existingEvents)[number] | undefined;
      if (e.seed_key !== null) {
        old = bySeedKey.get(e.seed_key);
      } else {
        const k = eventKey(e);
        const n = used.get(k) ?? 0;
        used.set(k, n + 1);
        old = byKey.get(k)?.[n];
      }
      if (old && same(old, row, EVENT_COLUMNS)) {
        summary.events.unchanged++;
      } else if (old) {
        await trx.updateTable("case_events").set(row).where("id", "=", old.id).execute();
        summary.events.updated++;
      } else {
        await trx.insertInto("case_events").values(row).execute();
        summary.events.inserted++;
      }
    }

    summary.changed =
      summary.sources.inserted + summary.sources.updated + summary.cases.inserted + summary.cases.updated +
        summary.aliases.replaced + summary.events.inserted + summary.events.updated > 0;
    if (summary.changed) await bumpCasesRevision(trx, `${now}#import`);
    return summary;
  });
}

export function formatImportSummary(s: ImportSummary): string {
  const t = (name: string, c: TableCounts) => `${name} ${c.inserted + c.updated + c.unchanged} (${c.inserted} new, ${c.updated} updated)`;
  return [
    t("sources", s.sources),
    t("cases", s.cases),
    `aliases ${s.aliases.total} (replaced for ${s.aliases.replaced} cases)`,
    t("events", s.events),
  ].join(", ");
}

// ---------------------------------------------------------------------------------------------
// Helpers for the command-line tools (src/tools/export.ts, src/tools/import.ts)

/** DATABASE_URL exactly as the bot reads it; a bad value throws ConfigError naming DATABASE_URL. */
export function databaseConfigFromEnv(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  // loadConfig also wants a bot token, which these tools never use: give it a placeholder.
  return loadConfig({ BOT_TOKEN: "1:export-import-placeholder", DATABASE_URL: env["DATABASE_URL"] }).database;
}

/** Where a DatabaseConfig points, without any password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === "sqlite") return `SQLite ${config.file}`;
  try {
    const url = new URL(config.url);
    return `PostgreSQL ${url.host}${url.pathname}`;
  } catch {
    return "PostgreSQL";
  }
}

/** Migrations not yet applied to this database (read only: nothing is created). */
export async function pendingMigrations(db: DB): Promise<string[]> {
  const all = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

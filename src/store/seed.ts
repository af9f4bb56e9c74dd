import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { EDITABLE_FIELDS, type EditableField, STATUS_REVIEW_FIELD } from "../domain/fields.js";
import type { DB } from "./db.js";
import { bumpCasesRevision, getMeta, setMeta } from "./meta.js";
import type { CaseRow } from "./schema.js";
import { parseSeed, type SeedCase, type SeedFile } from "./seed-data.js";

export const SEED_FILE = fileURLToPath(new URL("../../db/seed/cases.json", import.meta.url));
const SEED_HASH_KEY = "seed_hash";

export interface SeedResult {
  applied: boolean;
  cases: number;
  /** Slugs of the people the seed added. */
  added: string[];
  /** "slug field" pairs the seed changed (no moderator had touched them). */
  changed: string[];
  /** "slug field" pairs where the seed says something else but moderators changed the field: left as they set it. */
  kept: string[];
}

/**
 * The fields of a case the report gives: every field a moderator may edit but the aliases (a list of
 * their own, below). Each is the seed's only while no moderator has touched it.
 */
type SeedField = Exclude<EditableField, "aliases">;
const SEED_FIELDS = EDITABLE_FIELDS.filter((field): field is SeedField => field !== "aliases");

/** Revisions in these states mean a moderator changed (or is about to change) the field. */
const TOUCHING_STATES = ["applied", "pending", "reverted"];

/**
 * Loads the report's cases. Idempotent: an unchanged file is skipped by its hash. A changed file adds
 * people and fills or corrects only what no moderator has touched: a field with a revision (applied,
 * waiting for a second moderator, or reverted), a status set by an approved update or confirmed by a
 * review, and every field of a case moderators added, are left as they are. Approved updates are never
 * touched; the report's own events follow the file.
 */
export async function applySeed(db: DB, file = SEED_FILE, now = new Date().toISOString()): Promise<SeedResult> {
  const raw = await readFile(file, "utf8");
  const hash = createHash("sha256").update(raw).digest("hex");
  const seed = parseSeed(JSON.parse(raw));
  if ((await getMeta(db, SEED_HASH_KEY)) === hash) return { applied: false, cases: seed.cases.length, added: [], changed: [], kept: [] };
  const result = await db.transaction().execute(async (trx) => {
    const r = await writeSeed(trx, seed, now);
    await setMeta(trx, SEED_HASH_KEY, hash);
    await bumpCasesRevision(trx, `${now}#seed:${hash.slice(0, 12)}`);
    return r;
  });
  return { applied: true, cases: seed.cases.length, ...result };
}

function seedValues(c: SeedCase): Record<SeedField, string> {
  return {
    category: c.category,
    role: c.role,
    status: c.status,
    name_en: c.name.en,
    name_ru: c.name.ru,
    name_kk: c.name.kk,
    name_kk_latn: c.name.kk_latn,
    summary_en: c.summary.en,
    summary_ru: c.summary.ru,
    summary_kk: c.summary.kk,
  };
}

function seedAliases(c: SeedCase): string[] {
  return [...new Set(c.aliases.map((a) => a.trim()))].filter((a) => a !== "").sort();
}

/** The fields of each case that moderators have touched, from the revision log. */
async function touchedFields(db: DB): Promise<Map<string, Set<string>>> {
  const rows = await db
    .selectFrom("case_revisions")
    .select(["case_slug", "field"])
    .where("state", "in", TOUCHING_STATES)
    .groupBy(["case_slug", "field"])
    .execute();
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    const set = out.get(r.case_slug) ?? new Set<string>();
    set.add(r.field);
    out.set(r.case_slug, set);
  }
  return out;
}

function touched(row: CaseRow, fields: Set<string> | undefined, field: SeedField | "aliases"): boolean {
  if (fields?.has(field)) return true;
  // An approved update sets the status without a revision row (status_changed_at), a review confirms it.
  return field === "status" && (fields?.has(STATUS_REVIEW_FIELD) === true || row.status_changed_at !== null || row.status_reviewed_at !== null);
}

async function writeSeed(db: DB, seed: SeedFile, now: string): Promise<Omit<SeedResult, "applied" | "cases">> {
  const { report } = seed;
  const source = { as_of: report.as_of, title_en: report.title.en, title_ru: report.title.ru, title_kk: report.title.kk };
  await db
    .insertInto("sources")
    .values({ id: report.id, ...source, url: null })
    .onConflict((oc) => oc.column("id").doUpdateSet(source))
    .execute();

  const existing = new Map((await db.selectFrom("cases").selectAll().execute()).map((r) => [r.slug, r]));
  const touchedBy = await touchedFields(db);
  const aliasRows = await db.selectFrom("case_aliases").select(["case_slug", "alias"]).execute();
  const aliasesOf = new Map<string, string[]>();
  for (const a of aliasRows) aliasesOf.set(a.case_slug, [...(aliasesOf.get(a.case_slug) ?? []), a.alias]);

  const added: string[] = [];
  const changed: string[] = [];
  const kept: string[] = [];

  for (const c of seed.cases) {
    const values = seedValues(c);
    const aliases = seedAliases(c);
    const spelling = {
      name_ru_confirmed: c.spelling_confirmed.includes("ru") ? (1 as const) : (0 as const),
      name_kk_confirmed: c.spelling_confirmed.includes("kk") ? (1 as const) : (0 as const),
      name_confirmed: c.spelling_confirmed.length === 2 ? (1 as const) : (0 as const),
    };
    const row = existing.get(c.slug);

    if (!row) {
      const res = await db
        .insertInto("cases")
        .values({ slug: c.slug, origin: "report", source_id: report.id, created_at: now, updated_at: now, ...values, ...spelling })
        .onConflict((oc) => oc.column("slug").doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 1) {
        if (aliases.length > 0) await db.insertInto("case_aliases").values(aliases.map((alias) => ({ case_slug: c.slug, alias }))).execute();
        added.push(c.slug);
      }
    } else if (row.origin === "moderators") {
      // Moderators added a case under this slug: it is theirs, field by field.
      kept.push(`${c.slug} *`);
      continue;
    } else {
      const fields = touchedBy.get(c.slug);
      const update: Partial<Record<SeedField, string>> = {};
      for (const field of SEED_FIELDS) {
        if (row[field] === values[field]) continue;
        if (touched(row, fields, field)) kept.push(`${c.slug} ${field}`);
        else {
          update[field] = values[field];
          changed.push(`${c.slug} ${field}`);
        }
      }
      const current = [...new Set(aliasesOf.get(c.slug) ?? [])].sort();
      if (current.join("\n") !== aliases.join("\n")) {
        if (touched(row, fields, "aliases")) kept.push(`${c.slug} aliases`);
        else {
          await db.deleteFrom("case_aliases").where("case_slug", "=", c.slug).execute();
          if (aliases.length > 0) await db.insertInto("case_aliases").values(aliases.map((alias) => ({ case_slug: c.slug, alias }))).execute();
          changed.push(`${c.slug} aliases`);
        }
      }
      const seedOnly = { source_id: report.id, ...spelling };
      const seedOnlyChanged = (Object.keys(seedOnly) as Array<keyof typeof seedOnly>).filter((k) => row[k] !== seedOnly[k]);
      for (const k of seedOnlyChanged) if (k !== "name_confirmed") changed.push(`${c.slug} ${k}`);
      if (Object.keys(update).length > 0 || seedOnlyChanged.length > 0) {
        await db.updateTable("cases").set({ ...update, ...seedOnly, updated_at: now }).where("slug", "=", c.slug).execute();
      }
    }

    const keys = c.events.map((_, i) => `${report.id}:${c.slug}:${i}`);
    let del = db.deleteFrom("case_events").where("case_slug", "=", c.slug).where("origin", "=", "report");
    if (keys.length > 0) del = del.where("seed_key", "not in", keys);
    await del.execute();
    for (const [i, e] of c.events.entries()) {
      const texts = { event_date: e.date, text_en: e.text.en, text_ru: e.text.ru, text_kk: e.text.kk };
      await db
        .insertInto("case_events")
        .values({
          case_slug: c.slug,
          origin: "report",
          seed_key: keys[i] ?? null,
          original_lang: "en",
          source_url: null,
          created_at: now,
          ...texts,
        })
        .onConflict((oc) => oc.column("seed_key").doUpdateSet(texts))
        .execute();
    }
  }
  return { added, changed, kept };
}

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { DB } from "./db.js";
import { bumpCasesRevision, getMeta, setMeta } from "./meta.js";
import { parseSeed, type SeedFile } from "./seed-data.js";

export const SEED_FILE = fileURLToPath(new URL("../../db/seed/cases.json", import.meta.url));
const SEED_HASH_KEY = "seed_hash";

export interface SeedResult {
  applied: boolean;
  cases: number;
}

/**
 * Loads the report's cases. Idempotent: an unchanged file is skipped by its hash; a changed one
 * updates the report's facts (names, summaries, report events) and never touches approved updates.
 */
export async function applySeed(db: DB, file = SEED_FILE, now = new Date().toISOString()): Promise<SeedResult> {
  const raw = await readFile(file, "utf8");
  const hash = createHash("sha256").update(raw).digest("hex");
  const seed = parseSeed(JSON.parse(raw));
  if ((await getMeta(db, SEED_HASH_KEY)) === hash) return { applied: false, cases: seed.cases.length };
  await db.transaction().execute(async (trx) => {
    await writeSeed(trx, seed, now);
    await setMeta(trx, SEED_HASH_KEY, hash);
    await bumpCasesRevision(trx, `${now}#seed:${hash.slice(0, 12)}`);
  });
  return { applied: true, cases: seed.cases.length };
}

async function writeSeed(db: DB, seed: SeedFile, now: string): Promise<void> {
  const { report } = seed;
  const source = { as_of: report.as_of, title_en: report.title.en, title_ru: report.title.ru, title_kk: report.title.kk };
  await db
    .insertInto("sources")
    .values({ id: report.id, ...source, url: null })
    .onConflict((oc) => oc.column("id").doUpdateSet(source))
    .execute();

  for (const c of seed.cases) {
    const facts = {
      category: c.category,
      role: c.role,
      status: c.status,
      source_id: report.id,
      name_en: c.name.en,
      name_ru: c.name.ru,
      name_kk: c.name.kk,
      name_kk_latn: c.name.kk_latn,
      name_confirmed: c.name_confirmed ? (1 as const) : (0 as const),
      summary_en: c.summary.en,
      summary_ru: c.summary.ru,
      summary_kk: c.summary.kk,
      updated_at: now,
    };
    await db
      .insertInto("cases")
      .values({ slug: c.slug, origin: "report", created_at: now, ...facts })
      .onConflict((oc) => oc.column("slug").doUpdateSet(facts))
      .execute();

    await db.deleteFrom("case_aliases").where("case_slug", "=", c.slug).execute();
    const aliases = [...new Set(c.aliases.map((a) => a.trim()))].filter((a) => a !== "");
    if (aliases.length > 0) {
      await db.insertInto("case_aliases").values(aliases.map((alias) => ({ case_slug: c.slug, alias }))).execute();
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
}

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DB } from "../../src/store/db.js";
import { DATABASES, type TestDatabase } from "../helpers/databases.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { applySeed, SEED_FILE } from "../../src/store/seed.js";
import { findCase } from "../../src/store/cases.js";
import { readNames } from "../helpers/names-reference.js";


const seed = JSON.parse(readFileSync(SEED_FILE, "utf8")) as {
  cases: Array<{ slug: string; category: string; name: Record<string, string>; summary: Record<string, string> }>;
};

describe("seed data", () => {
  it("holds all 37 people of the report, grouped as the report groups them", () => {
    expect(seed.cases).toHaveLength(37);
    const count = (...cats: string[]) => seed.cases.filter((c) => cats.includes(c.category)).length;
    expect(count("political_prisoner", "pretrial_detention")).toBe(19);
    expect(count("suspended_sentence", "under_prosecution")).toBe(9);
    expect(count("psychiatric")).toBe(2);
    expect(count("abroad")).toBe(7);
  });

  it("spells every name as the names reference does, in all three scripts", () => {
    const bySlugName = new Map(seed.cases.map((c) => [c.name["en"], c]));
    for (const row of readNames()) {
      const c = bySlugName.get(row.english);
      expect(c, row.english).toBeDefined();
      expect(c!.name["ru"]).toBe(row.russian);
      expect(c!.name["kk"]).toBe(row.kazakhCyrillic.split(/\s+or\s+/)[0]!.trim());
      expect(c!.name["kk_latn"]).toBe(row.kazakhLatin);
    }
  });

  it("has a summary in every language, and Kazakh text uses Kazakh letters", () => {
    for (const c of seed.cases) {
      for (const lang of ["en", "ru", "kk"]) expect(c.summary[lang], `${c.slug} ${lang}`).toMatch(/\S{3}/);
      expect(c.summary["kk"], c.slug).toMatch(/[әғқңөұүһі]/);
      expect(c.summary["ru"], c.slug).toMatch(/[а-яё]/);
    }
  });
});

describe.each(DATABASES)("applySeed on $name", (kind) => {
  let db: DB;
  let t: TestDatabase;
  beforeEach(async () => {
    t = await kind.open();
    db = t.db;
    await migrateToLatest(db);
  });
  afterEach(() => t.cleanup());

  it("loads the report and is idempotent", async () => {
    const first = await applySeed(db);
    expect(first).toMatchObject({ applied: true, cases: 37, changed: [], kept: [] });
    expect(first.added).toHaveLength(37);
    const count = async () => Number((await db.selectFrom("cases").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const events = async () => Number((await db.selectFrom("case_events").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(37);
    const eventsBefore = await events();
    const second = await applySeed(db);
    expect(second.applied).toBe(false);
    expect(await count()).toBe(37);
    expect(await events()).toBe(eventsBefore);
  });

  it("updates the report's facts on a changed file without touching approved updates", async () => {
    await applySeed(db);
    await db
      .insertInto("case_events")
      .values({
        case_slug: "maks-bokayev",
        event_date: "2019-02-01",
        origin: "update",
        seed_key: null,
        original_lang: "ru",
        text_en: null,
        text_ru: "Проверенная модератором новость",
        text_kk: null,
        source_url: "https://example.org/news",
        created_at: new Date().toISOString(),
      })
      .execute();
    const changed = JSON.parse(readFileSync(SEED_FILE, "utf8"));
    changed.cases[0].summary.en = "A corrected summary.";
    const dir = mkdtempSync(join(tmpdir(), "seed-"));
    const file = join(dir, "cases.json");
    writeFileSync(file, JSON.stringify(changed));
    const result = await applySeed(db, file);
    expect(result.applied).toBe(true);
    const card = await findCase(db, "maks-bokayev");
    expect(card?.summary.en).toBe("A corrected summary.");
    expect(card?.events.filter((e) => e.origin === "update").map((e) => e.text.ru)).toEqual(["Проверенная модератором новость"]);
  });

  it("refuses a malformed file and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "seed-"));
    const file = join(dir, "cases.json");
    writeFileSync(file, JSON.stringify({ report: { id: "r", as_of: "2017-12", title: { en: "a", ru: "b", kk: "c" } }, cases: [{ slug: "Bad Slug" }] }));
    await expect(applySeed(db, file)).rejects.toThrow(/slug/);
    const n = await db.selectFrom("cases").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });
});

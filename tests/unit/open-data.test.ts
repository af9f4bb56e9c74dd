import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALIAS_SEPARATOR, CSV_COLUMNS, OpenDataService } from "../../src/services/open-data.js";
import { exportPublicData, parseExport } from "../../src/store/public-data.js";
import { DATABASES, seededDatabase, type TestDatabase } from "../helpers/databases.js";
import { leaks, PUBLISHED, seedPrivateRows } from "../helpers/private-rows.js";

type Row = Record<string, string>;

function rows(csv: string): Row[] {
  return parse(csv, { bom: true, columns: true, skip_empty_lines: true, relax_column_count: false }) as Row[];
}

describe.each(DATABASES)("open data on $name", (kind) => {
  let t: TestDatabase;
  let service: OpenDataService;
  beforeEach(async () => {
    t = await seededDatabase(kind);
    await seedPrivateRows(t.db);
    service = new OpenDataService(t.db);
  });
  afterEach(() => t.cleanup());

  it("CSV: one row per person, every field of the export, all three languages, nothing private", async () => {
    const { body } = await service.csv();
    expect(body.startsWith("\ufeff")).toBe(true);
    expect(leaks(body)).toEqual([]);
    const data = await exportPublicData(t.db);
    const parsed = rows(body);
    expect(parsed.map((r) => r["slug"])).toEqual(data.cases.map((c) => c.slug));
    // Every scalar field `npm run export` has for a case is a column.
    const exported = Object.keys(data.cases[0]!).filter((k) => k !== "aliases");
    expect(CSV_COLUMNS).toEqual(expect.arrayContaining(exported));
    const bokayev = parsed.find((r) => r["slug"] === "maks-bokayev")!;
    const c = data.cases.find((x) => x.slug === "maks-bokayev")!;
    expect(bokayev["name_en"]).toBe("Maks Bokayev");
    expect(bokayev["name_ru"]).toBe("Макс Бокаев");
    expect(bokayev["name_kk"]).toBe("Макс Боқаев");
    for (const f of ["summary_en", "summary_ru", "summary_kk"] as const) expect(bokayev[f]).toBe(c[f] ?? "");
    expect(bokayev["aliases"]!.split(ALIAS_SEPARATOR)).toEqual(c.aliases);
    expect(bokayev["approved_updates"]).toBe("2");
    expect(Number(bokayev["timeline_events"])).toBe(data.events.filter((e) => e.case_slug === "maks-bokayev").length);
    expect(bokayev["source_as_of"]).toBe(data.sources[0]!.as_of);
  });

  it("CSV: commas, quotes and line breaks in a field survive a parser", async () => {
    const tricky = 'He said: "no", then left,\r\nand a new line; =1+1';
    await t.db.updateTable("cases").set({ summary_en: tricky }).where("slug", "=", "maks-bokayev").execute();
    await t.db.updateTable("meta").set({ value: "changed-by-test" }).where("key", "=", "cases_revision").execute();
    const parsed = rows((await service.csv()).body);
    expect(parsed.find((r) => r["slug"] === "maks-bokayev")!["summary_en"]).toBe(tricky);
    expect(parsed).toHaveLength(37);
  });

  it("CSV leaves out a new case still waiting for a second moderator", async () => {
    await t.db.updateTable("cases").set({ visible: 0 }).where("slug", "=", "maks-bokayev").execute();
    await t.db.updateTable("meta").set({ value: "hidden-by-test" }).where("key", "=", "cases_revision").execute();
    const { body } = await service.csv();
    expect(rows(body).map((r) => r["slug"])).not.toContain("maks-bokayev");
    expect(body).not.toMatch(/\r\nmaks-bokayev,/);
  });

  it("JSON: the document `npm run export` writes, importable again, nothing private", async () => {
    const { body, etag } = await service.json();
    expect(leaks(body)).toEqual([]);
    expect(body).toContain(PUBLISHED.anonymous);
    const doc = parseExport(body);
    const direct = await exportPublicData(t.db, doc.exported_at);
    expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
  });

  it("entity tags hold while nothing changes and move when a moderator publishes", async () => {
    const a = await service.csv();
    const b = await service.csv();
    expect(b.etag).toBe(a.etag);
    expect(a.etag).toMatch(/^"[\w-]+"$/);
    const jsonBefore = (await service.json()).etag;
    await seedPrivateRows(t.db); // two more approvals (and their revision stamps)
    const c = await service.csv();
    expect(c.etag).not.toBe(a.etag);
    expect(rows(c.body).find((r) => r["slug"] === PUBLISHED.slug)!["approved_updates"]).toBe("4");
    expect((await service.json()).etag).not.toBe(jsonBefore);
    // Another process sees the same content and so the same tags.
    expect((await new OpenDataService(t.db).csv()).etag).toBe(c.etag);
  });
});

import { parse } from "csv-parse/sync";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseExport } from "../../src/store/public-data.js";
import { insertUpdateEvent } from "../../src/store/events.js";
import { leaks, PUBLISHED, seedPrivateRows } from "../helpers/private-rows.js";
import { PUBLIC_URL, type TestWeb, testWeb } from "../helpers/web-app.js";

let t: TestWeb;
let web: TestWeb["app"];
beforeEach(async () => {
  t = await testWeb();
  await seedPrivateRows(t.db);
  web = t.app;
});
afterEach(() => t.close());

const get = (path: string, headers: Record<string, string> = {}) => web.request(path, { headers });

describe("GET /api/v1/export.csv and export.json", () => {
  it("CSV: a parser reads one row per person, open to any origin, nothing private", async () => {
    const res = await get("/api/v1/export.csv", { origin: "https://researcher.example.net" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("etag")).toMatch(/^"[\w-]+"$/);
    const body = await res.text();
    expect(leaks(body)).toEqual([]);
    const rows = parse(body, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(37);
    expect(rows.find((r) => r["slug"] === PUBLISHED.slug)).toMatchObject({ name_kk: "Макс Боқаев", approved_updates: "2" });
  });

  it("answers 304 to a client with the current tag, and the new file once a moderator publishes", async () => {
    const first = await get("/api/v1/export.csv");
    const etag = first.headers.get("etag")!;
    const again = await get("/api/v1/export.csv", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    await seedPrivateRows(t.db);
    const changed = await get("/api/v1/export.csv", { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("lets a browser page elsewhere ask first (CORS preflight) and read the tag", async () => {
    const res = await web.request("/api/v1/export.json", {
      method: "OPTIONS",
      headers: { origin: "https://data.example.net", "access-control-request-method": "GET" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("GET");
    const json = await get("/api/v1/export.json", { origin: "https://data.example.net" });
    expect(json.headers.get("access-control-expose-headers")).toContain("ETag");
  });

  it("JSON: the export document, valid for npm run import, weakly tagged, nothing private", async () => {
    const res = await get("/api/v1/export.json");
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = await res.text();
    expect(leaks(body)).toEqual([]);
    const doc = parseExport(body);
    expect(doc.cases).toHaveLength(37);
    expect(doc.events.filter((e) => e.origin === "update").map((e) => e.text_en ?? e.text_ru)).toEqual(
      expect.arrayContaining([PUBLISHED.anonymous, PUBLISHED.named]),
    );
    const etag = res.headers.get("etag")!;
    expect(etag.startsWith('W/"')).toBe(true);
    expect((await get("/api/v1/export.json", { "if-none-match": etag })).status).toBe(304);
  });
});

describe("Atom feeds", () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (n) => n === "entry" || n === "link" });

  it("the overall feed in the language asked for, nothing private", async () => {
    const res = await get("/feeds/updates.atom?lang=ru");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(leaks(xml)).toEqual([]);
    const { feed } = parser.parse(xml) as { feed: { "@xml:lang": string; title: string; entry: Array<{ title: { "#text": string } }>; link: Array<{ "@rel": string; "@href": string }> } };
    expect(feed["@xml:lang"]).toBe("ru");
    expect(feed.title).toBe("Бот о казахстанских делах: одобренные новости");
    expect(feed.entry).toHaveLength(2);
    expect(feed.entry[0]!.title["#text"]).toBe("Макс Бокаев — Судебное заседание");
    expect(feed.link.find((l) => l["@rel"] === "self")?.["@href"]).toBe(`${PUBLIC_URL}/feeds/updates.atom?lang=ru`);
    expect(await (await get("/feeds/updates.atom", { "accept-language": "kk" })).text()).toContain('xml:lang="kk"');
  });

  it("a case's feed; an unknown case is a 404; a second read with the tag is a 304", async () => {
    await insertUpdateEvent(
      t.db,
      { caseSlug: "talgat-ayan", date: "2026-11-30", lang: "en", text: "Moved to a colony in Pavlodar.", sourceUrl: null, type: "transfer", statusFrom: null, statusTo: null, hearingDate: null },
      "2026-12-02T10:00:00.000Z",
    );
    const res = await get("/feeds/cases/talgat-ayan.atom?lang=en");
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain("Moved to a colony in Pavlodar.");
    expect(xml).not.toContain(PUBLISHED.anonymous);
    expect((await get("/feeds/cases/talgat-ayan.atom?lang=en", { "if-none-match": res.headers.get("etag")! })).status).toBe(304);
    expect((await get("/feeds/cases/nobody-at-all.atom")).status).toBe(404);
    expect((await get("/feeds/cases/..%2F..%2Fetc.atom")).status).toBe(404);
  });
});

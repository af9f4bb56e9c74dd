import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderAtom } from "../../src/feeds/atom.js";
import { createI18n } from "../../src/i18n.js";
import type { Lang } from "../../src/domain/codes.js";
import { FeedService } from "../../src/services/feeds.js";
import { insertUpdateEvent, setEventTranslation } from "../../src/store/events.js";
import { DATABASES, seededDatabase, type TestDatabase } from "../helpers/databases.js";
import { leaks, PUBLISHED, seedPrivateRows } from "../helpers/private-rows.js";

const BASE = "https://cases.example.org";
const i18n = await createI18n();
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => name === "entry" || name === "link" });

interface Entry {
  title: { "#text": string };
  id: string;
  link: Array<{ "@href": string }>;
  updated: string;
  content: { "#text": string };
}

function parseFeed(xml: string): { feed: { "@xml:lang": string; title: string; updated: string; entry?: Entry[]; link: Array<{ "@rel": string; "@href": string }> } } {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as never;
}

describe.each(DATABASES)("feeds on $name", (kind) => {
  let t: TestDatabase;
  let feeds: FeedService;
  let eventIds: number[];
  beforeEach(async () => {
    t = await seededDatabase(kind);
    ({ eventIds } = await seedPrivateRows(t.db));
    feeds = new FeedService(t.db);
  });
  afterEach(() => t.cleanup());

  const atom = async (lang: Lang, slug?: string) => {
    const one = slug === undefined ? undefined : await feeds.ofCase(slug);
    const entries = one ? one.entries : await feeds.latest();
    return renderAtom(entries, {
      publicUrl: BASE,
      lang,
      t: i18n.t(lang),
      selfUrl: `${BASE}/feeds/updates.atom?lang=${lang}`,
      ...(one && slug ? { case: { slug, names: one.names } } : {}),
      emptyUpdated: new Date("2026-12-01T00:00:00Z"),
    });
  };

  it("lists the approved updates, newest first, and nothing private", async () => {
    const xml = await atom("en");
    expect(leaks(xml)).toEqual([]);
    const { feed } = parseFeed(xml);
    expect(feed["@xml:lang"]).toBe("en");
    expect(feed.title).toBe("Kazakhstan case bot: approved updates");
    expect(feed.entry).toHaveLength(2);
    const [newest, older] = feed.entry!;
    expect(newest!.id).toBe(`${BASE}/cases/${PUBLISHED.slug}#update-${eventIds[1]}`);
    expect(older!.content["#text"]).toContain(PUBLISHED.anonymous);
    expect(newest!.title["#text"]).toBe("Maks Bokayev — Hearing");
    expect(newest!.link[0]!["@href"]).toBe(`${BASE}/cases/${PUBLISHED.slug}?lang=en`);
    expect(feed.updated).toBe(new Date(newest!.updated).toISOString());
  });

  it("speaks the reader's language: translations where they exist, else the original, labelled", async () => {
    await setEventTranslation(t.db, eventIds[0]!, "kk", "Апелляциялық сот үкімді өзгеріссіз қалдырды.");
    const { feed } = parseFeed(await atom("kk"));
    expect(feed.title).toBe("Қазақстандағы істер боты: мақұлданған жаңалықтар");
    const byId = new Map(feed.entry!.map((e) => [e.id, e]));
    const translated = byId.get(`${BASE}/cases/${PUBLISHED.slug}#update-${eventIds[0]}`)!;
    expect(translated.content["#text"]).toContain("Апелляциялық сот");
    expect(translated.content["#text"]).not.toContain("түпнұсқасы");
    expect(translated.title["#text"]).toBe("Макс Боқаев — Сот отырысы");
    const original = byId.get(`${BASE}/cases/${PUBLISHED.slug}#update-${eventIds[1]}`)!;
    expect(original.content["#text"]).toContain(PUBLISHED.named);
    expect(original.content["#text"]).toContain("Түпнұсқасы орыс тілінде");
  });

  it("a case's feed has only that case; an unknown or hidden case has none", async () => {
    await insertUpdateEvent(
      t.db,
      { caseSlug: "talgat-ayan", date: "2026-11-30", lang: "en", text: "Transferred to another colony.", sourceUrl: null, type: "transfer", statusFrom: null, statusTo: null, hearingDate: null },
      "2026-12-02T10:00:00.000Z",
    );
    expect((await feeds.latest()).map((e) => e.slug)).toContain("talgat-ayan");
    const { feed } = parseFeed(await atom("ru", "talgat-ayan"));
    expect(feed.title).toBe("Талгат Аян: одобренные новости");
    expect(feed.entry).toHaveLength(1);
    expect(feed.entry![0]!.content["#text"]).toContain("Transferred to another colony.");
    expect(await feeds.ofCase("no-such-person")).toBeUndefined();
    expect(await feeds.ofCase("../../etc/passwd")).toBeUndefined();
    await t.db.updateTable("cases").set({ visible: 0 }).where("slug", "=", "talgat-ayan").execute();
    expect(await feeds.ofCase("talgat-ayan")).toBeUndefined();
    expect((await feeds.latest()).map((e) => e.slug)).not.toContain("talgat-ayan");
  });

  it("keeps hostile text inside its entry and links only http(s) sources", async () => {
    const evil = `]]></content><entry><title>forged</title></entry><script>alert(1)</script> & \u0007`;
    const id = await insertUpdateEvent(
      t.db,
      { caseSlug: PUBLISHED.slug, date: "2026-12-02", lang: "en", text: evil, sourceUrl: "javascript:alert(1)", type: "other", statusFrom: null, statusTo: null, hearingDate: null },
      "2026-12-03T08:00:00.000Z",
    );
    const xml = await atom("en");
    const { feed } = parseFeed(xml);
    expect(feed.entry).toHaveLength(3);
    const html = feed.entry!.find((e) => e.id.endsWith(`#update-${id}`))!.content["#text"];
    expect(html).toContain("]]&gt;&lt;/content&gt;&lt;entry&gt;");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain('href="javascript');
    expect(xml).not.toContain("\u0007");
  });
});

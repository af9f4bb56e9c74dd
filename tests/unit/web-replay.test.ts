import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseService } from "../../src/services/cases.js";
import { FeedService } from "../../src/services/feeds.js";
import { ModerationService } from "../../src/services/moderation.js";
import { RoleService } from "../../src/services/roles.js";
import { StatsService } from "../../src/services/stats.js";
import { createWebApp } from "../../src/web/app.js";
import type { WebEnv } from "../../src/web/deps.js";
import { notModified } from "../../src/web/etag.js";
import { replayPublicPage } from "../../src/web/replay.js";
import { type TestWeb, testWeb } from "../helpers/web-app.js";

/**
 * The most read public pages are answered from a copy of an earlier answer (src/web/replay.ts). A reader
 * must never notice: every request shape gets, from the copy, exactly what the whole app gives (body,
 * security headers, cache rules, the language cookie), whatever was asked before it, and a page whose
 * data changes is shown changed at once.
 */
let web: TestWeb;
let reference: Hono<WebEnv>;
let clock = new Date("2026-11-20T12:00:00Z");
beforeAll(async () => {
  web = await testWeb();
  // /stats ends its figures at the current month: a clock the tests move.
  web.deps.services.stats = new StatsService(web.db, () => clock);
  web.app = createWebApp(web.deps);
  reference = createWebApp(web.deps, { replayPages: false });
});
afterAll(async () => {
  await web.close();
});

const NONCE = /nonce-[A-Za-z0-9+/=]+|nonce="[^"]*"/g;
const nonces = (text: string) => text.match(NONCE) ?? [];

/** An answer as a reader's browser sees it; the Mini App's per-response nonce is compared apart. */
async function snapshot(app: Hono<WebEnv>, path: string, init: RequestInit) {
  const res = await app.request(path, init);
  const headers = [...res.headers].sort(([a], [b]) => a.localeCompare(b));
  const body = await res.text();
  return {
    status: res.status,
    headers: headers.map(([k, v]) => [k, v.replace(NONCE, "nonce-N")]),
    body: body.replace(NONCE, "nonce-N"),
    nonces: [...nonces(headers.map(([, v]) => v).join(" ")), ...nonces(body)],
  };
}

const pages = [
  "/cases/maks-bokayev",
  "/cases/maks%2Dbokayev",
  "/cases/mukhtar-ablyazov",
  "/cases/no-such-person",
  "/",
  "/categories/political_prisoner",
  "/categories/political_prisoner?page=2",
  "/categories/political_prisoner?page=abc",
  "/categories/no-such-category",
  "/stats",
  "/app/cases/maks-bokayev",
];

// Ordered so that a shape whose answer differs follows one that would be stored first under a key too coarse.
const shapes: Array<[string, string, RequestInit]> = [
  ["no headers", "", {}],
  ["Accept-Language ru", "", { headers: { "accept-language": "ru" } }],
  ["Accept-Language with qualities", "", { headers: { "accept-language": "de, kk-KZ;q=0.9, ru;q=0.8" } }],
  ["?lang=kk (sets the cookie)", "lang=kk", {}],
  ["?lang=kk with the cookie already kk", "lang=kk", { headers: { cookie: "lang=kk" } }],
  ["?lang=kk with the cookie ru", "lang=kk", { headers: { cookie: "lang=ru" } }],
  ["the cookie ru", "", { headers: { cookie: "lang=ru" } }],
  ["another cookie", "", { headers: { cookie: "seen=1", "accept-language": "ru" } }],
  ["credentials", "", { headers: { authorization: "tma query_id=1" } }],
  ["?lang= unknown", "lang=xx", { headers: { "accept-language": "kk" } }],
  ["?lang=KK in capitals, other query values", "utm_source=x&lang=KK", {}],
  ["a conditional request", "", { headers: { "if-none-match": '"x"', "accept-language": "ru" } }],
  ["HEAD", "", { method: "HEAD", headers: { "accept-language": "ru" } }],
];

const withQuery = (path: string, query: string) => (query === "" ? path : `${path}${path.includes("?") ? "&" : "?"}${query}`);
const cases = pages.flatMap((page) => shapes.map(([name, query, init]): [string, string, RequestInit] => [`${page}, ${name}`, withQuery(page, query), init]));

describe("public pages answered from a copy", () => {
  it.each(cases)("%s: the copy is exactly the whole app's answer, asked first and again", async (_name, path, init) => {
    const expected = await snapshot(reference, path, init);
    const first = await snapshot(web.app, path, init);
    expect(first.headers).toEqual(expected.headers);
    const again = await snapshot(web.app, path, init);
    expect(again.status).toBe(expected.status);
    expect(again.headers).toEqual(expected.headers);
    expect(again.body).toBe(expected.body);
    // A nonce is never served twice: a page that carries one is made afresh for every response.
    for (const n of again.nonces) expect(first.nonces).not.toContain(n);
  });

  it("every page and shape, asked after all the others were stored, still gets its own answer", async () => {
    for (const [, path, init] of cases) await web.app.request(path, init);
    for (const [name, path, init] of cases) {
      const expected = await snapshot(reference, path, init);
      const got = await snapshot(web.app, path, init);
      expect({ name, status: got.status, headers: got.headers, body: got.body }).toEqual({ name, status: expected.status, headers: expected.headers, body: expected.body });
    }
  });

  it("an approved update shows at the next request on the card, the start page, its category and /stats, in every language", async () => {
    const text = "Replay check: the appeal was heard.";
    clock = new Date();
    const langs = ["en", "ru", "kk"];
    // The total of the last table: the approved updates of the months shown.
    const updatesIn = async (lang: string) => {
      const stats = await (await web.app.request(`/stats?lang=${lang}`)).text();
      const total = Number([...stats.matchAll(/<tfoot>.*?<td>(\d+)<\/td>/gs)].at(-1)?.[1]);
      expect(Number.isInteger(total)).toBe(true);
      return total;
    };
    const before = new Map<string, number>();
    for (const lang of langs) {
      expect(await (await web.app.request(`/cases/maks-bokayev?lang=${lang}`)).text()).not.toContain(text);
      expect(await (await web.app.request(`/?lang=${lang}`)).text()).not.toContain(text);
      before.set(lang, await updatesIn(lang));
    }
    const moderator = 900_000_077;
    await new RoleService(web.db).syncAdmins([moderator]);
    const moderation = new ModerationService(web.db, web.deps.services.cases);
    const sub = await moderation.submit({ caseSlug: "maks-bokayev", authorId: 800_000_077, authorLang: "en", text, sourceUrl: null });
    expect(sub.ok).toBe(true);
    if (sub.ok) await moderation.approve(sub.id, moderator, { type: "hearing" });
    for (const lang of langs) {
      expect(await (await web.app.request(`/cases/maks-bokayev?lang=${lang}`)).text()).toContain(text);
      expect(await (await web.app.request(`/?lang=${lang}`)).text()).toContain(text);
      expect(await updatesIn(lang)).toBe(before.get(lang)! + 1);
    }
  });

  it("the Atom feeds show an approved update at the next request, and a reader's copy of the old one is not current", async () => {
    const text = "Replay check: the feed carries the verdict.";
    const paths = ["/feeds/updates.atom?lang=ru", "/feeds/cases/maks-bokayev.atom?lang=kk", "/feeds/cases/maks-bokayev.atom"];
    const etags = new Map<string, string>();
    for (const path of paths) {
      const res = await web.app.request(path);
      expect(await res.text()).not.toContain(text);
      etags.set(path, res.headers.get("etag")!);
      // Asked again with its ETag: not modified.
      expect((await web.app.request(path, { headers: { "if-none-match": etags.get(path)! } })).status).toBe(304);
    }
    const moderator = 900_000_078;
    await new RoleService(web.db).syncAdmins([moderator]);
    const moderation = new ModerationService(web.db, web.deps.services.cases);
    const sub = await moderation.submit({ caseSlug: "maks-bokayev", authorId: 800_000_078, authorLang: "en", text, sourceUrl: null });
    if (sub.ok) await moderation.approve(sub.id, moderator, { type: "hearing" });
    for (const path of paths) {
      const res = await web.app.request(path, { headers: { "if-none-match": etags.get(path)! } });
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain(text);
    }
  });

  it("a flood of the start page, a category, /stats, a card and the feeds reaches the database once per page, not once per request", async () => {
    let queries = 0;
    const counted = web.db.withPlugin({
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const cases = new CaseService(counted);
    await cases.refresh();
    const app = createWebApp({ ...web.deps, services: { ...web.deps.services, cases, stats: new StatsService(counted, () => clock), feeds: new FeedService(counted) } });
    const paths = ["/?lang=ru", "/categories/abroad?lang=kk", "/stats", "/cases/maks-bokayev", "/feeds/updates.atom?lang=ru", "/feeds/cases/maks-bokayev.atom"];
    for (const path of paths) expect((await app.request(path)).status, path).toBe(200);
    const afterFirst = queries;
    expect(afterFirst).toBeGreaterThan(0);
    for (let i = 0; i < 50; i++) for (const path of paths) expect((await app.request(path)).status).toBe(200);
    expect(queries - afterFirst).toBe(0);
  });

  it("/stats follows the day it is as of, and the month its figures end with", async () => {
    const page = async () => (await web.app.request("/stats?lang=en")).text();
    clock = new Date("2026-11-29T23:59:00Z");
    expect(await page()).toContain("November 29, 2026");
    clock = new Date("2026-11-30T00:01:00Z");
    expect(await page()).toContain("November 30, 2026");
    expect(await page()).not.toContain("December 2026");
    clock = new Date("2026-12-01T00:01:00Z");
    expect(await page()).toContain("December 2026");
  });
});

describe("replayPublicPage", () => {
  it("leaves a conditional request to the page, which answers 304 for a current ETag", async () => {
    let made = 0;
    const app = new Hono();
    app.get("/page", replayPublicPage(() => "page@1"), (c) => {
      made++;
      if (notModified(c, '"v1"')) return c.body(null, 304);
      return c.text("the page");
    });
    expect((await app.request("/page")).status).toBe(200);
    expect(await (await app.request("/page")).text()).toBe("the page");
    expect(made).toBe(1);
    const conditional = await app.request("/page", { headers: { "if-none-match": '"v1"' } });
    expect(conditional.status).toBe(304);
    expect(made).toBe(2);
  });
});

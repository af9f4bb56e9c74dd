import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertUpdateEvent } from "../../src/store/events.js";
import { applySeed, SEED_FILE } from "../../src/store/seed.js";
import { PUBLIC_URL, type TestWeb, testWeb } from "../helpers/web-app.js";

let web: TestWeb;
beforeAll(async () => {
  web = await testWeb();
});
afterAll(async () => {
  await web.close();
});

const get = (path: string, headers: Record<string, string> = {}) => web.app.request(path, { headers });
const html = async (path: string, headers: Record<string, string> = {}) => {
  const res = await get(path, headers);
  return { res, body: await res.text() };
};

describe("language of the pages", () => {
  it("is English by default, with alternates and links to the other two languages", async () => {
    const { body } = await html("/");
    expect(body).toContain('<html lang="en">');
    for (const l of ["en", "ru", "kk"]) expect(body).toContain(`<link rel="alternate" hreflang="${l}" href="${PUBLIC_URL}/?lang=${l}"/>`);
    expect(body).toContain('href="/?lang=ru"');
    expect(body).toContain('href="/?lang=kk"');
    expect(body).toContain("Қазақша");
    expect(body).toContain("Русский");
  });

  it("follows Accept-Language, then a cookie, then ?lang= (which it remembers)", async () => {
    expect((await html("/", { "accept-language": "de-DE, kk;q=0.8, ru;q=0.5" })).body).toContain('<html lang="kk">');
    expect((await html("/", { "accept-language": "ru-RU", cookie: "lang=en" })).body).toContain('<html lang="en">');
    const { res, body } = await html("/?lang=ru", { "accept-language": "kk", cookie: "lang=en" });
    expect(body).toContain('<html lang="ru">');
    expect(res.headers.get("set-cookie")).toMatch(/^lang=ru;/);
    // A response that sets a cookie is never kept by a shared cache.
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect((await html("/?lang=xx", { "accept-language": "ru" })).body).toContain('<html lang="ru">');
  });
});

describe("the start page", () => {
  it("has the search box, the categories with counts and the latest approved updates", async () => {
    await insertUpdateEvent(
      web.db,
      { caseSlug: "maks-bokayev", date: "2026-11-30", lang: "ru", text: "Суд рассмотрел ходатайство <b>об освобождении</b>.", sourceUrl: "https://news.example.org/1", type: "hearing", statusFrom: null, statusTo: null, hearingDate: null },
      new Date().toISOString(),
    );
    const { body } = await html("/?lang=ru");
    expect(body).toContain('action="/search"');
    expect(body).toMatch(/Политзаключённые<\/a> <span class="count">\d+<\/span>/);
    expect(body).toContain("Последние обновления");
    expect(body).toContain("Суд рассмотрел ходатайство &lt;b&gt;об освобождении&lt;/b&gt;.");
    expect(body).toContain('href="/cases/maks-bokayev?lang=ru">Макс Бокаев</a>');
  });
});

describe("search", () => {
  it("opens the card when one person matches, in any script", async () => {
    const res = await get("/search?q=%D0%91%D0%BE%D2%9B%D0%B0%D0%B5%D0%B2&lang=kk");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/cases/maks-bokayev?lang=kk");
  });

  it("offers a choice when several match (three Khrapunovs)", async () => {
    const { body } = await html("/search?q=Khrapunov");
    expect(body).toContain("Several people match");
    for (const slug of ["viktor-khrapunov", "leila-khrapunova", "ilyas-khrapunov"]) expect(body).toContain(`/cases/${slug}?lang=en`);
  });

  it("gives the closest names when none match, and escapes the query", async () => {
    const { body } = await html("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    expect(body).not.toContain("<script>alert(1)");
    expect(body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // A typo opens the card all the same; a name nobody has gives the closest ones to pick from.
    expect((await get("/search?q=Bokaiyev")).headers.get("location")).toBe("/cases/maks-bokayev?lang=en");
    const near = await html("/search?q=Zhakip&lang=ru");
    expect(near.res.status).toBe(200);
    expect(near.body).toContain("Ближайшие имена");
    expect(near.body).toContain('href="/cases/mukhtar-dzhakishev?lang=ru"');
  });
});

describe("the case page", () => {
  it("shows names in every script, category, role, status with its as-of, timeline, source, follow and share", async () => {
    const { res, body } = await html("/cases/maks-bokayev?lang=kk");
    expect(res.status).toBe(200);
    expect(body).toContain('<html lang="kk">');
    for (const name of ["Maks Bokayev", "Макс Бокаев", "Макс Боқаев"]) expect(body).toContain(name);
    expect(body).toContain("Саяси тұтқын");
    expect(body).toMatch(/2017/);
    expect(body).toContain('href="https://t.me/kz_cases_bot?start=case_maks_bokayev"');
    expect(body).toContain("https://t.me/share/url?url=");
    expect(body).toContain(`<link rel="canonical" href="${PUBLIC_URL}/cases/maks-bokayev?lang=kk"/>`);
    expect(body).toContain('<meta property="og:title" content="Макс Боқаев"/>');
    expect(body).toContain('<meta name="twitter:card" content="summary"/>');
    expect(body).toMatch(/<meta property="og:description" content="[^"]+"/);
  });

  it("says plainly when the status is only the report's, like the bot's card", async () => {
    const { body } = await html("/cases/maks-bokayev?lang=en");
    expect(body).toContain("In prison");
    expect(body).toContain("as of a report of December 2017");
    expect(body).toContain('<p class="notice">This is what a report of December 2017 said.</p>');
  });

  it("is 404 in the reader's language for an unknown case, with no stack trace", async () => {
    const { res, body } = await html("/cases/no-such-person", { "accept-language": "ru" });
    expect(res.status).toBe(404);
    expect(body).toContain("Страница не найдена");
    expect((await get("/cases/..%2F..%2Fetc")).status).toBe(404);
  });
});

describe("categories", () => {
  it("pages 20 people at a time with links both ways, in the reader's language", async () => {
    // Three placeholder people make the 19 political prisoners of the report 22: two pages.
    const seed = JSON.parse(readFileSync(SEED_FILE, "utf8")) as { report: unknown; cases: Array<Record<string, unknown>> };
    const model = seed.cases.find((c) => c["slug"] === "maks-bokayev")!;
    const extra = [1, 2, 3].map((n) => ({
      ...model,
      slug: `paging-placeholder-${n}`,
      name: { en: `Zz Paging Placeholder ${n}`, ru: `Яя Заглушка ${n}`, kk: `Яя Толтырғыш ${n}`, kk_latn: `Yya Toltyrğyş ${n}` },
      aliases: [],
    }));
    const file = join(mkdtempSync(join(tmpdir(), "casebot-paging-")), "cases.json");
    writeFileSync(file, JSON.stringify({ ...seed, cases: [...seed.cases, ...extra] }));
    const paged = await testWeb();
    await applySeed(paged.db, file);
    await paged.deps.services.cases.refresh();
    const first = await (await paged.app.request("/categories/political_prisoner?lang=kk")).text();
    expect(first.match(/\/cases\/[a-z0-9-]+\?lang=kk/g)).toHaveLength(20);
    expect(first).toContain('<a rel="next" href="/categories/political_prisoner?page=2&amp;lang=kk">');
    expect(first).not.toContain('rel="prev"');
    const second = await (await paged.app.request("/categories/political_prisoner?page=2&lang=kk")).text();
    expect(second.match(/\/cases\/[a-z0-9-]+\?lang=kk/g)).toHaveLength(2);
    expect(second).toContain('<a rel="prev" href="/categories/political_prisoner?lang=kk">');
    expect(second).not.toContain('rel="next"');
    // A page past the end shows the last one.
    expect(await (await paged.app.request("/categories/political_prisoner?page=9&lang=kk")).text()).toContain('rel="prev"');
    await paged.close();
  });

  it("lists the people of a category, paged", async () => {
    const { body } = await html("/categories/political_prisoner?lang=en");
    expect(body).toContain("<h1>Political prisoners</h1>");
    expect(body).toContain("/cases/maks-bokayev?lang=en");
    expect((await get("/categories/nonsense")).status).toBe(404);
    expect((await get("/categories/political_prisoner?page=-3")).status).toBe(200);
  });
});

describe("errors", () => {
  it("a failure inside a page gives the error page in the reader's language, never a stack trace", async () => {
    const broken = await testWeb();
    broken.deps.services.cases.categoryCounts = () => Promise.reject(new Error("SQLITE_CORRUPT: secret detail at /srv/db.sqlite"));
    const res = await broken.app.request("/", { headers: { "accept-language": "kk" } });
    const body = await res.text();
    expect(res.status).toBe(500);
    expect(body).toContain("Бірдеңе дұрыс болмады");
    expect(body).not.toContain("SQLITE_CORRUPT");
    expect(body).not.toContain("at ");
    expect(broken.logs.join("\n")).toContain("SQLITE_CORRUPT");
    await broken.close();
  });

  it("a failure in the API, a feed or an export is a bare 500 naming no detail; the failure is logged", async () => {
    const broken = await testWeb();
    const boom = () => Promise.reject(new Error("SQLITE_CORRUPT: secret detail at /srv/db.sqlite"));
    broken.deps.services.cases.get = boom;
    broken.deps.services.feeds.latest = boom;
    broken.deps.services.openData.csv = boom;
    for (const path of ["/api/v1/cases/maks-bokayev", "/api/v1/export.csv"]) {
      const res = await broken.app.request(path);
      expect(res.status, path).toBe(500);
      expect(await res.json(), path).toEqual({ error: "error" });
    }
    const feed = await broken.app.request("/feeds/updates.atom", { headers: { cookie: "lang=ru" } });
    const body = await feed.text();
    expect(feed.status).toBe(500);
    expect(body).toContain("Что-то пошло не так");
    expect(body).not.toContain("SQLITE_CORRUPT");
    expect(body).not.toMatch(/\bat .*:\d+:\d+/);
    expect(feed.headers.get("cache-control")).toBe("private, no-store");
    expect(broken.logs.filter((l) => l.includes("SQLITE_CORRUPT"))).toHaveLength(3);
    await broken.close();
  });

  it("an unknown page is a 404 in the reader's language wherever it is asked: cookie, Mini App, API", async () => {
    const kk = await html("/no/such/page", { cookie: "lang=kk" });
    expect(kk.res.status).toBe(404);
    expect(kk.body).toContain('<html lang="kk">');
    expect(kk.body).toContain("Бет табылмады");
    const app = await html("/app/cases/no-such-person?lang=ru");
    expect(app.res.status).toBe(404);
    expect(app.body).toContain("Страница не найдена");
    const api = await get("/api/v2/anything");
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: "not_found" });
  });

  it("sends a strict Content-Security-Policy with a nonce and no inline script without it", async () => {
    const res = await get("/");
    const csp = res.headers.get("content-security-policy") ?? "";
    // Public pages run no script at all; Mini App pages only with the response's nonce.
    expect(csp).toContain("script-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("default-src 'self'");
    const app = await get("/app/cases/maks-bokayev");
    const appCsp = app.headers.get("content-security-policy") ?? "";
    expect(appCsp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=_-]+'/);
    expect(appCsp).not.toContain("unsafe-inline");
    for (const tag of (await app.text()).match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/nonce="/);
    const body = await res.text();
    for (const tag of body.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/nonce="/);
  });
});

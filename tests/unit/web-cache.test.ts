import { sign } from "@telegram-apps/init-data-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestWeb, testWeb, WEB_TOKEN } from "../helpers/web-app.js";

/**
 * Cache headers: a page that is the same for everyone may be kept for a minute; a response that may
 * depend on who asks (a reader's language cookie, a Mini App's initData, anything under /app) is
 * never stored, so a proxy or a shared browser never shows one reader's answer to another.
 */
let web: TestWeb;
beforeAll(async () => {
  web = await testWeb();
});
afterAll(async () => {
  await web.close();
});

const cacheOf = async (path: string, headers: Record<string, string> = {}) => (await web.app.request(path, { headers })).headers.get("cache-control");
const initData = () => sign({ user: { id: 700_555_001, first_name: "Reader", language_code: "en" } } as never, WEB_TOKEN, new Date());

describe("cache headers", () => {
  it("a public page without cookies may be cached for a minute, varying by language", async () => {
    const res = await web.app.request("/cases/maks-bokayev", { headers: { "accept-language": "ru" } });
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    expect(res.headers.get("vary")).toContain("Accept-Language");
    expect(res.headers.get("vary")).toContain("Cookie");
  });

  it("the same pages asked with a cookie are never stored", async () => {
    for (const path of ["/", "/cases/maks-bokayev", "/categories/abroad", "/search?q=Khrapunov", "/stats", "/feeds/updates.atom", "/no-such-page"]) {
      expect(await cacheOf(path, { cookie: "lang=kk" }), path).toBe("private, no-store");
    }
  });

  it("a response that sets the language cookie is never stored", async () => {
    expect(await cacheOf("/cases/maks-bokayev?lang=kk")).toBe("private, no-store");
  });

  it("Mini App pages are never stored, even asked without cookies", async () => {
    for (const path of ["/app", "/app/cases/maks-bokayev?lang=en", "/app/categories/abroad", "/app/stats"]) {
      expect(await cacheOf(path), path).toBe("private, no-store");
    }
  });

  it("anything asked with initData is never stored, the Mini App's answers and the API alike", async () => {
    const auth = { authorization: `tma ${initData()}` };
    const follow = await web.app.request("/app/api/following", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ slug: "maks-bokayev" }) });
    expect(follow.status).toBe(200);
    expect(follow.headers.get("cache-control")).toBe("private, no-store");
    // A refusal too: it says who was refused.
    const refused = await web.app.request("/app/api/following", { method: "POST", headers: { authorization: "tma forged", "content-type": "application/json" }, body: "{}" });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("cache-control")).toBe("private, no-store");
    expect(await cacheOf("/api/v1/cases", auth)).toBe("private, no-store");
    expect(await cacheOf("/api/v1/cases")).toBe("public, max-age=60");
  });

  it("static files stay cacheable whatever the request carries", async () => {
    expect(await cacheOf("/static/site.css", { cookie: "lang=ru" })).toBe("public, max-age=3600");
  });
});

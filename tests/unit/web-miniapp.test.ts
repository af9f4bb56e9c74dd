import { sign } from "@telegram-apps/init-data-node";
import { getUserLanguage } from "../../src/store/users.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestWeb, testWeb, WEB_TOKEN } from "../helpers/web-app.js";

let web: TestWeb;
beforeAll(async () => {
  web = await testWeb();
});
afterAll(async () => {
  await web.close();
});

const USER = 700_123_456;
const initData = (opts: { token?: string; ageSeconds?: number; userId?: number } = {}) =>
  sign(
    { user: { id: opts.userId ?? USER, first_name: "Reader", language_code: "kk" }, query_id: "AAE-test" } as never,
    opts.token ?? WEB_TOKEN,
    new Date(Date.now() - (opts.ageSeconds ?? 5) * 1000),
  );

const post = (path: string, body: unknown, auth?: string) =>
  web.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(auth !== undefined ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });

describe("the Mini App pages", () => {
  it("serve the same pages under /app with Telegram's script (ours, with the nonce) and links that stay inside", async () => {
    const res = await web.app.request("/app?lang=kk");
    const body = await res.text();
    expect(res.status).toBe(200);
    const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    expect(body).toContain(`<script src="/static/telegram-web-app.js" nonce="${nonce}"></script>`);
    expect(body).toContain(`<script src="/static/miniapp.js" nonce="${nonce}" defer=""></script>`);
    expect(body).toContain('class="miniapp"');
    expect(body).toContain('action="/app/search"');
    expect(body).toContain('href="/app/categories/political_prisoner?lang=kk"');
    expect(body).toContain('<meta name="robots" content="noindex"/>');
    const card = await (await web.app.request("/app/cases/maks-bokayev?lang=en")).text();
    expect(card).toContain('id="follow" data-slug="maks-bokayev"');
    expect(card).toContain(">Subscribe</button>");
    // The public page has no follow box (it needs Telegram's initData) but a link to the bot.
    const publicCard = await (await web.app.request("/cases/maks-bokayev?lang=en")).text();
    expect(publicCard).not.toContain('id="follow"');
    expect((await web.app.request("/app/search?q=Khrapunov")).status).toBe(200);
  });

  it("serve Telegram's script from this server", async () => {
    const res = await web.app.request("/static/telegram-web-app.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(await res.text()).toContain("window.Telegram");
  });
});

describe("following from the Mini App", () => {
  it("follows and unfollows with valid initData, through the same subscriptions as the bot", async () => {
    const auth = `tma ${initData()}`;
    expect(await (await post("/app/api/following", { slug: "maks-bokayev" }, auth)).json()).toEqual({ following: false });
    const res = await post("/app/api/follow", { slug: "maks-bokayev", follow: true }, auth);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await res.json()).toEqual({ following: true });
    const listed = await web.deps.services.subscriptions.list(USER);
    expect(listed.map((c) => c.slug)).toEqual(["maks-bokayev"]);
    // The user row takes Telegram's language, so notices arrive in Kazakh.
    expect(await getUserLanguage(web.db, USER)).toBe("kk");
    expect(await (await post("/app/api/follow", { slug: "maks-bokayev", follow: false }, auth)).json()).toEqual({ following: false });
    expect(await web.deps.services.subscriptions.list(USER)).toEqual([]);
  });

  it("refuses forged, stale or missing initData with 401 and changes nothing", async () => {
    const victim = 700_999_001;
    const good = initData({ userId: victim });
    const tampered = good.replace(/id%22%3A\d+/, "id%22%3A700999002");
    const attempts: Array<string | undefined> = [
      undefined,
      "tma ",
      `tma ${initData({ userId: victim, token: "654321:someone-elses-token" })}`,
      `tma ${tampered}`,
      `tma ${initData({ userId: victim, ageSeconds: 2 * 3600 })}`,
      `Bearer ${good}`,
      "tma user=%7B%22id%22%3A700999001%7D&auth_date=9999999999&hash=00",
    ];
    for (const auth of attempts) {
      const res = await post("/app/api/follow", { slug: "maks-bokayev", follow: true }, auth);
      expect(res.status, String(auth)).toBe(401);
      expect(await res.json()).toEqual({ error: "unauthorized" });
    }
    expect(await web.deps.services.subscriptions.list(victim)).toEqual([]);
    expect(await web.deps.services.subscriptions.list(700_999_002)).toEqual([]);
  });

  it("refuses an unknown case and a body that is not a decision", async () => {
    const auth = `tma ${initData()}`;
    expect((await post("/app/api/follow", { slug: "no-such-person", follow: true }, auth)).status).toBe(404);
    expect((await post("/app/api/follow", { slug: "maks-bokayev", follow: "yes" }, auth)).status).toBe(400);
    expect((await post("/app/api/follow", { slug: "x".repeat(10_000), follow: true }, auth)).status).toBe(413);
  });
});

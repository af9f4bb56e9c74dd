import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModerationService } from "../../src/services/moderation.js";
import { RoleService } from "../../src/services/roles.js";
import { createWebApp } from "../../src/web/app.js";
import type { WebEnv } from "../../src/web/deps.js";
import { type TestWeb, testWeb } from "../helpers/web-app.js";

/**
 * Case pages are answered from a copy of an earlier answer (src/web/replay.ts). A reader must never
 * notice: every request shape gets, from the copy, exactly what the whole app gives (body, security
 * headers, cache rules, the language cookie), whatever was asked before it, and a card that changes
 * is shown changed at once.
 */
let web: TestWeb;
let reference: Hono<WebEnv>;
beforeAll(async () => {
  web = await testWeb();
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

// Ordered so that a shape whose answer differs follows one that would be stored first under a key too coarse.
const shapes: Array<[string, string, RequestInit]> = [
  ["no headers", "/cases/maks-bokayev", {}],
  ["Accept-Language ru", "/cases/maks-bokayev", { headers: { "accept-language": "ru" } }],
  ["Accept-Language with qualities", "/cases/maks-bokayev", { headers: { "accept-language": "de, kk-KZ;q=0.9, ru;q=0.8" } }],
  ["?lang=kk (sets the cookie)", "/cases/maks-bokayev?lang=kk", {}],
  ["?lang=kk with the cookie already kk", "/cases/maks-bokayev?lang=kk", { headers: { cookie: "lang=kk" } }],
  ["?lang=kk with the cookie ru", "/cases/maks-bokayev?lang=kk", { headers: { cookie: "lang=ru" } }],
  ["the cookie ru", "/cases/maks-bokayev", { headers: { cookie: "lang=ru" } }],
  ["another cookie", "/cases/maks-bokayev", { headers: { cookie: "seen=1", "accept-language": "ru" } }],
  ["credentials", "/cases/maks-bokayev", { headers: { authorization: "tma query_id=1" } }],
  ["?lang= unknown", "/cases/maks-bokayev?lang=xx", { headers: { "accept-language": "kk" } }],
  ["?lang=KK in capitals, other query values", "/cases/maks-bokayev?utm_source=x&lang=KK", {}],
  ["HEAD", "/cases/maks-bokayev", { method: "HEAD", headers: { "accept-language": "ru" } }],
  ["the path percent-encoded", "/cases/maks%2Dbokayev", { headers: { "accept-language": "ru" } }],
  ["another case", "/cases/mukhtar-ablyazov", { headers: { "accept-language": "ru" } }],
  ["no such case", "/cases/no-such-person", {}],
  ["the Mini App's card", "/app/cases/maks-bokayev?lang=en", {}],
];

describe("case pages answered from a copy", () => {
  it.each(shapes)("%s: the copy is exactly the whole app's answer, asked first and again", async (_name, path, init) => {
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

  it("every shape, asked after all the others were stored, still gets its own answer", async () => {
    for (const [, path, init] of shapes) await web.app.request(path, init);
    for (const [name, path, init] of shapes) {
      const expected = await snapshot(reference, path, init);
      const got = await snapshot(web.app, path, init);
      expect({ name, status: got.status, headers: got.headers, body: got.body }).toEqual({ name, status: expected.status, headers: expected.headers, body: expected.body });
    }
  });

  it("an approved update shows on the card at the next request, in every language", async () => {
    const ask = async (lang: string) => (await web.app.request(`/cases/maks-bokayev?lang=${lang}`)).text();
    for (const lang of ["en", "ru", "kk"]) expect(await ask(lang)).not.toContain("Replay check: the appeal was heard");
    const moderator = 900_000_077;
    await new RoleService(web.db).syncAdmins([moderator]);
    const moderation = new ModerationService(web.db, web.deps.services.cases);
    const sub = await moderation.submit({ caseSlug: "maks-bokayev", authorId: 800_000_077, authorLang: "en", text: "Replay check: the appeal was heard.", sourceUrl: null });
    expect(sub.ok).toBe(true);
    if (sub.ok) await moderation.approve(sub.id, moderator, { type: "hearing" });
    for (const lang of ["en", "ru", "kk"]) expect(await ask(lang)).toContain("Replay check: the appeal was heard");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModerationService } from "../../src/services/moderation.js";
import { RoleService } from "../../src/services/roles.js";
import { type TestWeb, testWeb } from "../helpers/web-app.js";

/**
 * Nothing private leaves through the web: no Telegram id of a reader, an author or a moderator, and no
 * submission that is not published. Every GET route the app has (those added later included) is
 * fetched in every language and searched for the seeded secrets.
 */
const READER = 987_654_321;
const MODERATOR = 424_242_001;
const ANON_AUTHOR = 555_000_111;
const NAMED_AUTHOR = 555_000_222;
const REJECTED_AUTHOR = 555_000_333;
const SECRETS = [String(READER), String(MODERATOR), String(ANON_AUTHOR), String(NAMED_AUTHOR), String(REJECTED_AUTHOR), "PENDINGSECRET", "REJECTEDSECRET"];

let web: TestWeb;
beforeAll(async () => {
  web = await testWeb();
  const { cases, subscriptions, users } = web.deps.services;
  await users.setLanguage(READER, "ru");
  await subscriptions.subscribe(READER, "maks-bokayev", "ru");
  await new RoleService(web.db).syncAdmins([MODERATOR]);
  const moderation = new ModerationService(web.db, cases);
  const pending = await moderation.submit({ caseSlug: "maks-bokayev", authorId: ANON_AUTHOR, authorLang: "en", text: "PENDINGSECRET: an anonymous note about his health.", sourceUrl: null, anonymous: true });
  expect(pending.ok).toBe(true);
  const rejected = await moderation.submit({ caseSlug: "maks-bokayev", authorId: REJECTED_AUTHOR, authorLang: "en", text: "REJECTEDSECRET: a rumour that was turned down.", sourceUrl: null });
  if (!rejected.ok) throw new Error("seed failed");
  expect((await moderation.reject(rejected.id, MODERATOR, "unsourced")).type).toBe("rejected");
  const published = await moderation.submit({ caseSlug: "maks-bokayev", authorId: NAMED_AUTHOR, authorLang: "en", text: "A hearing on his parole was held today, his lawyer said.", sourceUrl: "https://news.example.org/parole" });
  if (!published.ok) throw new Error("seed failed");
  expect((await moderation.approve(published.id, MODERATOR, { type: "hearing" })).type).toBe("approved");
  await cases.refresh();
});
afterAll(async () => {
  await web.close();
});

/** Concrete paths for every GET route, with real values for its parameters. */
function paths(): string[] {
  const values: Record<string, string> = { slug: "maks-bokayev", category: "political_prisoner" };
  const out = new Set<string>();
  for (const r of web.app.routes) {
    if (r.method !== "GET" && r.method !== "ALL") continue;
    if (r.path.includes("*") || r.path.includes("{")) continue;
    const path = r.path.replace(/:([a-z_]+)/gi, (_, name: string) => values[name] ?? "x");
    out.add(path);
  }
  out.add("/search?q=Khrapunov");
  out.add("/search?q=Bokayev");
  out.add("/api/v1/cases?q=Bokayev");
  out.add("/api/v1/cases?per_page=100");
  out.add("/no-such-page");
  return [...out];
}

describe("nothing private on the web", () => {
  it("the published update is public, so the check below looks at real content", async () => {
    const res = await web.app.request("/cases/maks-bokayev?lang=en");
    expect(await res.text()).toContain("A hearing on his parole was held today");
  });

  it("no route, in any language, shows a Telegram id, an unpublished submission or a moderator", async () => {
    const checked = paths();
    expect(checked.length).toBeGreaterThanOrEqual(8);
    for (const path of checked) {
      for (const lang of ["en", "ru", "kk"]) {
        const url = path + (path.includes("?") ? "&" : "?") + `lang=${lang}`;
        const res = await web.app.request(url, { redirect: "manual" } as RequestInit);
        const body = await res.text();
        const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join("\n");
        for (const secret of SECRETS) {
          expect(body, `${url} body`).not.toContain(secret);
          expect(headers, `${url} headers`).not.toContain(secret);
        }
      }
    }
  });
});

import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { loadLocale } from "../../src/i18n.js";
import { createHarness, type Harness, texts } from "../helpers/bot-harness.js";

const unavailable = (lang: "en" | "ru" | "kk") => (loadLocale(lang) as { limits: { unavailable: string } }).limits.unavailable;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("a failing database", () => {
  it("a database error in the setup middleware (the reader's language) still gets the reader a reply, in their language", async () => {
    h = await createHarness({ strict: true });
    // The first thing every update reads is the users table (the stored language): take it away.
    await sql`ALTER TABLE users RENAME TO users_gone`.execute(h.app.db);
    const ru = texts(await h.send("/case Бокаев", { id: 7001, language_code: "ru" }));
    expect(ru).toEqual([unavailable("ru")]);
    const kk = texts(await h.send("Бокаев", { id: 7002, language_code: "kk" }));
    expect(kk).toEqual([unavailable("kk")]);
  });

  it("a button pressed during the outage gets the answer on the button", async () => {
    h = await createHarness({ strict: true });
    await sql`ALTER TABLE users RENAME TO users_gone`.execute(h.app.db);
    const calls = await h.press("lang:kk", { id: 7003, language_code: "en" });
    const answer = calls.find((c) => c.method === "answerCallbackQuery");
    expect(answer?.payload["text"]).toBe(unavailable("en"));
  });

  it("after the database is back, the same reader is answered normally", async () => {
    h = await createHarness({ strict: true });
    await sql`ALTER TABLE users RENAME TO users_gone`.execute(h.app.db);
    expect(texts(await h.send("/case Bokayev", { id: 7004 }))).toEqual([unavailable("en")]);
    await sql`ALTER TABLE users_gone RENAME TO users`.execute(h.app.db);
    expect(texts(await h.send("/case Bokayev", { id: 7004 })).at(-1)).toContain("<b>Maks Bokayev</b>");
  });
});

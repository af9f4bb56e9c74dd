import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "../../src/bot/middleware/rate-limit.js";
import { loadLocale } from "../../src/i18n.js";
import { createHarness, type Harness, texts } from "../helpers/bot-harness.js";

type Limits = Record<string, string>;
const limits = (lang: "en" | "ru" | "kk") => (loadLocale(lang) as { limits: Limits }).limits;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("per-user rate limits", () => {
  it("lookups over the limit get one polite answer in the reader's language, not silence; other readers are not affected", async () => {
    h = await createHarness({ strict: true, rateLimits: DEFAULT_RATE_LIMITS });
    const reader = { id: 9101, language_code: "kk" };
    const { limit } = DEFAULT_RATE_LIMITS.lookups;
    for (let i = 0; i < limit; i++) expect(texts(await h.send(i % 2 ? "/case Bokayev" : "Бокаев", reader)).at(-1)).toContain("Bokayev");
    const over = texts(await h.send("/case Bokayev", reader));
    expect(over).toEqual([limits("kk")["lookups"]]);
    // Within the same window further lookups are dropped without another message each.
    expect(texts(await h.send("/case Bokayev", reader))).toEqual([]);
    // Someone else is answered as usual, and the limited reader can still /cancel or /start.
    expect(texts(await h.send("/case Bokayev", { id: 9102 })).at(-1)).toContain("Maks Bokayev");
    expect(texts(await h.send("/start", reader))).toHaveLength(1);
  });

  it("inline queries over the limit are answered with a 'wait a minute' result in the reader's language", async () => {
    h = await createHarness({ strict: true, rateLimits: DEFAULT_RATE_LIMITS });
    const reader = { id: 9103, language_code: "ru" };
    for (let i = 0; i < DEFAULT_RATE_LIMITS.inline.limit; i++) await h.inline("Бокаев", reader);
    for (let n = 0; n < 2; n++) {
      const calls = await h.inline("Бокаев", reader);
      const answer = calls.find((c) => c.method === "answerInlineQuery");
      const results = answer?.payload["results"] as Array<{ title: string }>;
      expect(results.map((r) => r.title)).toEqual([limits("ru")["inline_title"]]);
    }
  });

  it("starting news over the limit is refused politely", async () => {
    h = await createHarness({ strict: true, rateLimits: DEFAULT_RATE_LIMITS });
    const reader = { id: 9104, language_code: "en" };
    for (let i = 0; i < DEFAULT_RATE_LIMITS.submissions.limit; i++) {
      expect(texts(await h.send("/submit", reader))).toHaveLength(1);
      await h.send("/cancel", reader);
    }
    const over = texts(await h.send("/submit", reader));
    expect(over).toEqual([limits("en")["submissions"]!.replace("{{minutes}}", "60")]);
  });
});

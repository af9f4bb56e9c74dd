import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fold } from "../../src/search/fold.js";
import { createHarness, type Harness, texts } from "../helpers/bot-harness.js";

/** Characters a hostile or careless sender can hide in text: invisible, or reordering what follows. */
const ZERO_WIDTH = ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD"];
const BIDI = ["\u202E", "\u202D", "\u202B", "\u202A", "\u202C", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C"];

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ strict: true });
});
afterAll(() => h.close());

describe("hidden characters in what readers type", () => {
  it("search ignores zero-width characters inside a name", async () => {
    for (const zw of ZERO_WIDTH) expect(fold(`Бока${zw}ев`)).toBe(fold("Бокаев"));
    const card = texts(await h.send("/case Bo\u200Bka\u200Dyev\uFEFF")).at(-1) ?? "";
    expect(card).toContain("<b>Maks Bokayev</b>");
    const typed = texts(await h.send("Бок\u200Cаев")).at(-1) ?? "";
    expect(typed).toContain("Maks Bokayev");
  });

  it("an inline query with zero-width characters still finds the card", async () => {
    const calls = await h.inline("B\u200Bo\u200Bk\u200Ba\u200By\u200Be\u200Bv");
    const answer = calls.find((c) => c.method === "answerInlineQuery");
    const results = answer?.payload["results"] as Array<{ title: string }>;
    expect(results.map((r) => r.title)).toContain("Maks Bokayev");
  });

  it("a right-to-left override in a query is not echoed back", async () => {
    const reply = texts(await h.send(`/case Zzqx\u202Etxt.exe ${BIDI.join("")}qq`)).at(-1) ?? "";
    expect(reply).toContain("Zzqx");
    for (const c of BIDI) expect(reply).not.toContain(c);
  });

  it("nor in the inline 'nobody found' message", async () => {
    const calls = await h.inline("Zzqxwwqzxq\u202Egnp.exe\u2067");
    const answer = calls.find((c) => c.method === "answerInlineQuery");
    const json = JSON.stringify(answer?.payload["results"]);
    expect(json).toContain("Zzqx");
    for (const c of BIDI) expect(json).not.toContain(c);
  });
});

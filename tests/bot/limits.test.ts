import { afterEach, describe, expect, it } from "vitest";
import { createHarness, type Harness, texts } from "../helpers/bot-harness.js";

/** Issue 8: lengths are counted as Telegram counts them, in UTF-16 units. */

let h: Harness;
afterEach(async () => {
  expect(h.problems).toEqual([]);
  await h.close();
});

describe("text limits in UTF-16 units", () => {
  it("2,000 emoji are refused as too long in /submit, and the preview of 2,000 letters is a message Telegram accepts", async () => {
    h = await createHarness({ strict: true });
    const reader = { id: 777 };
    await h.send("/submit Bokayev", reader);
    const refused = texts(await h.send("😀".repeat(2000), reader)).join("\n");
    expect(refused).toContain("4000");
    expect(await h.app.db.selectFrom("submissions").select("id").execute()).toHaveLength(0);
    await h.send("а".repeat(1989) + " 😀😀😀😀😀", reader);
    await h.press("sb:skip", reader);
    const preview = await h.press("sb:id", reader);
    expect(texts(preview).join("\n")).toContain("😀");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetedFetch } from "../../src/bot/send-budget.js";
import { SendBudget } from "../../src/services/notifications/budget.js";
import { createHarness, type Harness } from "../helpers/bot-harness.js";

/**
 * Replies draw from the one send budget wherever they are sent: in handlers and inside conversations,
 * where each real send counts once (a conversation replays its earlier steps; those calls never reach
 * Telegram and must not be paced or counted).
 */
const AUTHOR = { id: 7301, language_code: "en", first_name: "Author" };
const sends = (h: Harness) => h.calls.filter((c) => /^send(?!ChatAction)/.test(c.method)).length;

describe("the send budget in the bot", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it("counts every reply once, a conversation's steps included, and none of its replays", async () => {
    const before = h.app.budget.stats.interactive;
    const sentBefore = sends(h);
    await h.send("/case Bokayev", AUTHOR);
    await h.send("/submit Bokayev", AUTHOR);
    await h.send("The court has set the date of the appeal hearing.", AUTHOR);
    await h.press("sb:skip", AUTHOR);
    await h.press("sb:id", AUTHOR);
    await h.press("sb:send", AUTHOR);
    const sent = sends(h) - sentBefore;
    expect(sent).toBeGreaterThanOrEqual(5);
    expect(h.app.budget.stats.interactive - before).toBe(sent);
  });
});

describe("the budget's HTTP client", () => {
  const ok = () => new Response(JSON.stringify({ ok: true, result: true }), { status: 200 });
  const body = (chat: number) => ({ method: "POST", body: JSON.stringify({ chat_id: chat, text: "x" }) });

  it("holds a second reply to one chat until a gap after the first was answered; other chats and other methods go at once", async () => {
    const budget = new SendBudget({ slots: 30, windowMs: 1000, perChatGapMs: 300 });
    const at: Record<string, number> = {};
    const f = budgetedFetch(budget, (async (input: string) => {
      at[input] = Date.now();
      return ok();
    }) as never);
    const t0 = Date.now();
    await Promise.all([
      f("http://x/bot1:a/sendMessage#1", body(5)),
      f("http://x/bot1:a/sendMessage#2", body(5)),
      f("http://x/bot1:a/sendMessage#3", body(6)),
      f("http://x/bot1:a/answerCallbackQuery", { method: "POST", body: "{}" }),
    ]);
    const chat5 = [at["http://x/bot1:a/sendMessage#1"]!, at["http://x/bot1:a/sendMessage#2"]!].sort((a, b) => a - b);
    expect(chat5[1]! - chat5[0]!).toBeGreaterThanOrEqual(290);
    expect(at["http://x/bot1:a/sendMessage#3"]! - t0).toBeLessThan(100);
    expect(at["http://x/bot1:a/answerCallbackQuery"]! - t0).toBeLessThan(100);
  });

  it("a 429 holds back that chat for retry_after, not the others", async () => {
    const budget = new SendBudget({ slots: 30, windowMs: 1000, perChatGapMs: 0 });
    let first = true;
    const f = budgetedFetch(budget, (async () => {
      if (first) {
        first = false;
        return new Response(JSON.stringify({ ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } }), { status: 429 });
      }
      return ok();
    }) as never);
    expect((await f("http://x/bot1:a/sendMessage", body(8))).status).toBe(429);
    const t0 = Date.now();
    await f("http://x/bot1:a/sendMessage", body(9));
    expect(Date.now() - t0).toBeLessThan(100);
    await f("http://x/bot1:a/sendMessage", body(8));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });
});

import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiCall, createHarness, type Harness, lastReply } from "../helpers/bot-harness.js";

type Button = { text: string; web_app?: { url: string }; callback_data?: string };
const keyboard = (call: ApiCall | undefined): Button[] =>
  (((call?.payload["reply_markup"] as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []) as Button[][]).flat();
const webApps = (call: ApiCall | undefined) => keyboard(call).filter((b) => b.web_app !== undefined);

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ strict: true, publicUrl: "https://cases.example.org" });
});
afterAll(() => h.close());

describe("the Mini App in the bot", () => {
  it("sets the menu button to open the web's start page", () => {
    const menu = h.calls.find((c) => c.method === "setChatMenuButton");
    expect(menu?.payload["menu_button"]).toEqual({ type: "web_app", text: "Cases", web_app: { url: "https://cases.example.org/app" } });
  });

  it("offers it on /start, in the reader's language", async () => {
    const calls = await h.send("/start", { id: 711, language_code: "ru" });
    expect(webApps(lastReply(calls))).toEqual([{ text: "Открыть список дел", web_app: { url: "https://cases.example.org/app?lang=ru" } }]);
  });

  it("offers the card's page on the card, and keeps it when Subscribe edits the card", async () => {
    const calls = await h.send("/case Bokayev", { id: 712, language_code: "en" });
    const card = lastReply(calls);
    expect(webApps(card)).toEqual([{ text: "Open as a page", web_app: { url: "https://cases.example.org/app/cases/maks-bokayev?lang=en" } }]);
    const subscribe = keyboard(card).find((b) => b.text === "Subscribe");
    const edited = lastReply(await h.press(subscribe?.callback_data ?? "", { id: 712, language_code: "en" }));
    expect(keyboard(edited).map((b) => b.text)).toContain("Unsubscribe");
    expect(webApps(edited)).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });

  it("leaves it out in groups, where Telegram refuses web_app buttons", async () => {
    const start = h.calls.length;
    await h.app.bot.handleUpdate({
      update_id: 90_001,
      message: {
        message_id: 5,
        date: Math.floor(Date.now() / 1000),
        chat: { id: -100_777, type: "supergroup", title: "Readers" },
        from: { id: 713, is_bot: false, first_name: "G", language_code: "en" },
        text: "/case Bokayev",
        entities: [{ type: "bot_command", offset: 0, length: 5 }],
      },
    } as Update);
    const card = lastReply(h.calls.slice(start));
    expect(card?.payload["text"]).toContain("Bokayev");
    expect(webApps(card)).toEqual([]);
  });
});

describe("without an https PUBLIC_URL", () => {
  it("sets no menu button and shows no Mini App buttons", async () => {
    const plain = await createHarness({ strict: true, publicUrl: "http://localhost:8080" });
    try {
      expect(plain.calls.some((c) => c.method === "setChatMenuButton")).toBe(false);
      expect(webApps(lastReply(await plain.send("/case Bokayev")))).toEqual([]);
      expect(webApps(lastReply(await plain.send("/start")))).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});

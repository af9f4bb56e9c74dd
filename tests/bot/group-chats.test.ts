import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { conversationStorage } from "../../src/bot/conversation-storage.js";
import { loadLocale } from "../../src/i18n.js";
import { type ApiCall, buttons, createHarness, group, type Harness, texts } from "../helpers/bot-harness.js";

/**
 * Groups: the card and the list work there; news, following, moderation, case administration and
 * every staff command answer with a button that opens the private chat, and do nothing in the group.
 */

type Locale = { private_chat: Record<string, string>; submit: Record<string, string> };
const en = loadLocale("en") as unknown as Locale;
const ru = loadLocale("ru") as unknown as Locale;

const ADMIN = 7_600_001;
const MOD = 7_600_002;
const A = 7_600_101;
const B = 7_600_102;
const GROUP = group(-100_900_800);
const SLUG = "maks-bokayev";
const PENDING_TEXT = "He was moved to a colony in Pavlodar, his sister wrote to us.";

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ adminIds: [ADMIN], strict: true });
  await h.app.services.roles.setRole(ADMIN, MOD, "moderator");
});
afterEach(async () => {
  await h.close();
});

const inGroup = (calls: ApiCall[]) => calls.filter((c) => c.payload["chat_id"] === GROUP.id);
const urls = (call: ApiCall | undefined) => buttons(call).map((b) => b.url);
const submissions = () => h.app.db.selectFrom("submissions").select(["id", "text", "author_id"]).execute();
const drafts = () => h.app.db.selectFrom("conversation_state").select("key").execute();
const answers = (calls: ApiCall[]) => calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload);

async function pendingSubmission(): Promise<number> {
  const r = await h.app.services.moderation.submit({ caseSlug: SLUG, authorId: A, authorLang: "en", text: PENDING_TEXT, sourceUrl: null, anonymous: false });
  if (!r.ok) throw new Error(r.reason);
  return r.id;
}

describe("news started in a group", () => {
  it("A's /submit answers with a button that opens the private chat; nothing waits in the group, and B's words go nowhere", async () => {
    const reply = await h.send("/submit Bokayev", { id: A, language_code: "ru" }, GROUP);
    expect(texts(reply)).toEqual([ru.private_chat["only"]]);
    expect(urls(reply[0])).toEqual(["https://t.me/kz_case_bot?start=submit"]);
    expect(await drafts()).toEqual([]);

    // B answers as if asked; then presses the steps' buttons; nothing becomes news and nothing is said.
    const fromB = [
      ...(await h.send("Maks Bokayev", { id: B }, GROUP)),
      ...(await h.send("Bokayev was released today, the court in Atyrau decided.", { id: B }, GROUP)),
      ...(await h.press("sb:skip", { id: B }, 7, GROUP)),
      ...(await h.press("sb:id", { id: B }, 7, GROUP)),
      ...(await h.press("sb:send", { id: B }, 7, GROUP)),
    ];
    expect(texts(fromB)).toEqual([]);
    expect(await submissions()).toEqual([]);
    expect(await drafts()).toEqual([]);
  });

  it("the button's link goes on in private: /start submit asks whom the news is about", async () => {
    const reply = texts(await h.send("/start submit", { id: A }));
    expect(reply.at(-1)).toBe(en.submit["ask_person"]);
  });

  it("Send news on a card shown in the group opens the private chat at that person's news, which then works there", async () => {
    const card = (await h.send("/case Bokayev", { id: A }, GROUP)).find((c) => c.method === "sendMessage");
    expect(String(card?.payload["text"])).toContain("Bokayev");
    const news = buttons(card).find((b) => b.callback_data?.startsWith("n:"));
    expect(news).toBeDefined();
    const pressed = await h.press(news!.callback_data!, { id: A }, 7, GROUP);
    expect(answers(pressed)).toEqual([expect.objectContaining({ url: "https://t.me/kz_case_bot?start=news_maks_bokayev" })]);
    expect(texts(pressed)).toEqual([]);
    expect(await drafts()).toEqual([]);

    const inPrivate = texts(await h.send("/start news_maks_bokayev", { id: A }));
    expect(inPrivate.at(-1)).toContain("Maks Bokayev");
    expect(await drafts()).toEqual([{ key: `conv:${A}` }]);
  });
});

describe("staff in a group", () => {
  it("a moderator's /queue posts nothing pending into the group, only the button to the private chat", async () => {
    await pendingSubmission();
    const reply = await h.send("/queue", { id: MOD }, GROUP);
    expect(texts(reply)).toEqual([en.private_chat["only"]]);
    expect(urls(reply[0])).toEqual(["https://t.me/kz_case_bot"]);
    expect(JSON.stringify(reply)).not.toContain("Pavlodar");
    // In private, the same moderator sees it.
    expect(JSON.stringify(await h.send("/queue", { id: MOD }))).toContain("Pavlodar");
  });

  it.each(["/queue@kz_case_bot", "/audit", "/promote 7600103", "/demote 7600002", "/newcase", "/editcase Bokayev", "/history Bokayev", "/translations", "/stale", "/revert 1", "/confirm 1", "/subscriptions", "/forget"])(
    "%s in a group gets the button and changes nothing",
    async (command) => {
      await pendingSubmission();
      const before = JSON.stringify(await h.app.db.selectFrom("audit_log").selectAll().execute());
      const reply = await h.send(command, { id: ADMIN }, GROUP);
      expect(texts(reply)).toEqual([en.private_chat["only"]]);
      expect(urls(reply[0])).toHaveLength(1);
      expect(await drafts()).toEqual([]);
      expect(JSON.stringify(await h.app.db.selectFrom("audit_log").selectAll().execute())).toBe(before);
      expect(await h.app.services.roles.roleOf(MOD)).toBe("moderator");
    },
  );

  it("a command meant for another bot in the group is left alone", async () => {
    expect(await h.send("/queue@other_bot", { id: MOD }, GROUP)).toEqual([]);
  });

  it("staff buttons pressed in a group (forged or forwarded) are refused: no review, no decision, nothing posted", async () => {
    const id = await pendingSubmission();
    for (const data of [`q:${id}`, `ap:${id}`, `rj:${id}`, `ty:${id}:transfer`, `tys:${id}:release:1`, "rv:1", "rvx:1", `ah:${SLUG}`, `ce:${SLUG}:status`, "st:p:0", `st:ok:${SLUG}`, "an:save", "ae:f:status", "fg:yes"]) {
      const calls = await h.press(data, { id: MOD }, 7, GROUP);
      expect(inGroup(calls), data).toEqual([]);
      expect(texts(calls), data).toEqual([]);
      expect(answers(calls), data).toEqual([expect.objectContaining({ text: en.private_chat["only"], show_alert: true })]);
    }
    const [row] = await h.app.db.selectFrom("submissions").select(["status", "author_id"]).where("id", "=", id).execute();
    expect(row).toEqual({ status: "pending", author_id: A });
    expect(await drafts()).toEqual([]);
    expect(await h.app.db.selectFrom("case_revisions").select("id").where("case_slug", "=", SLUG).where("actor_id", "=", MOD).execute()).toEqual([]);
  });
});

describe("what keeps working in a group", () => {
  it("/case, /list and a card's Timeline answer in the group", async () => {
    const card = await h.send("/case Bokayev", { id: A }, GROUP);
    expect(inGroup(card).map((c) => c.method)).toEqual(["sendMessage"]);
    const list = await h.send("/list", { id: A }, GROUP);
    expect(inGroup(list)).toHaveLength(1);
    const timeline = buttons(card.find((c) => c.method === "sendMessage")).find((b) => b.callback_data?.startsWith("t:"));
    const pressed = await h.press(timeline!.callback_data!, { id: B }, 7, GROUP);
    expect(pressed.map((c) => c.method)).toContain("editMessageText");
  });

  it("Subscribe on a card in the group opens the card in the private chat, where notices will come", async () => {
    const card = (await h.send("/case Bokayev", { id: A }, GROUP)).find((c) => c.method === "sendMessage");
    const subscribe = buttons(card).find((b) => b.callback_data?.startsWith("s:"));
    const pressed = await h.press(subscribe!.callback_data!, { id: B }, 7, GROUP);
    expect(answers(pressed)).toEqual([expect.objectContaining({ url: "https://t.me/kz_case_bot?start=case_maks_bokayev" })]);
    expect(await h.app.services.subscriptions.isSubscribed(B, SLUG)).toBe(false);
  });
});

describe("a conversation belongs to the person who started it", () => {
  it("two members of one group have separate conversation keys; in a private chat the key is the person's", () => {
    const { storage } = conversationStorage(h.app.db);
    const a = storage.getStorageKey({ chatId: GROUP.id, from: { id: A } });
    const b = storage.getStorageKey({ chatId: GROUP.id, from: { id: B } });
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
    expect(storage.getStorageKey({ chatId: A, from: { id: A } })).toBe(`conv:${A}`);
    expect(storage.getStorageKey({ chatId: GROUP.id })).toBeUndefined();
  });
});

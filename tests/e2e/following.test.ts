import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator, type MessageView, type SimUser } from "../../src/emulator/index.js";
import { botEnv, type BotProcess, startPollingBot, stopProcess } from "../helpers/process.js";
import { answerAnonymity, approveAsOther, buttons, hasButton, sleep } from "../helpers/flows.js";

/**
 * Level 3 acceptance: following a case, sending news, moderation and the notice to followers, with
 * `npm start` as a real process (fresh SQLite file, ADMIN_IDS set) against the Bot API emulator.
 * The steps run in order and share state: each `it` is one step of the story.
 */
const ADMIN_ID = 100;
const SLUG = "maks-bokayev";
const NEWS = "<b>Суд</b> продлил арест Бокаеву & <script>x</script>";
const NEWS2 = "Апелляционный суд рассмотрит жалобу Бокаева в понедельник";
const NEWS3 = "Бокаева перевели в другую колонию; адвокат узнал об этом из письма";

let emu: BotApiEmulator;
let bot: BotProcess;
const dbFile = join(mkdtempSync(join(tmpdir(), "casebot-e2e-follow-")), "bot.sqlite");
const env = () => botEnv(emu.apiRoot, dbFile, { ADMIN_IDS: String(ADMIN_ID) });

async function startBot(): Promise<number> {
  const started = await startPollingBot(env(), emu);
  bot = started.bot;
  return started.ms;
}

/** Reads the bot's database with a connection of our own (WAL: safe while the bot runs). */
function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const labels = (m: MessageView | undefined) => buttons(m).map((b) => b.text);

let admin: SimUser;
let reader: SimUser;
let author: SimUser;
let stranger: SimUser;
/** The reader's card, the first submission and its moderation message. */
let cardId = 0;
let firstId = 0;
let firstModMsg = 0;
let secondId = 0;

/** Sends /submit, the text, Skip (or a URL) and Send; returns the submission id the admin was shown. */
async function submitNews(query: string, text: string, source: string | null): Promise<{ id: number; modMsg: MessageView }> {
  let mark = author.mark();
  await author.send(`/submit ${query}`);
  await author.waitForMessage(undefined, 10_000, mark);
  mark = author.mark();
  await author.send(text);
  const ask = await author.waitForMessage(hasButton("sb:skip"), 10_000, mark);
  mark = author.mark();
  if (source === null) await author.press(ask, "sb:skip");
  else await author.send(source);
  mark = await answerAnonymity(author, mark);
  const preview = await author.waitForMessage(hasButton("sb:send"), 10_000, mark);
  const adminMark = admin.mark();
  mark = author.mark();
  await author.press(preview, "sb:send");
  await author.waitForMessage((m) => /модератор|moderator/i.test(m.plain), 10_000, mark);
  const modMsg = await admin.waitForMessage((m) => labels(m).includes("Approve"), 10_000, adminMark);
  const id = Number(/#(\d+)/.exec(modMsg.plain)?.[1]);
  expect(id).toBeGreaterThan(0);
  return { id, modMsg };
}

async function approve(modMsg: MessageView): Promise<MessageView> {
  const { query, decided } = await approveAsOther(admin, modMsg);
  expect((await admin.callbackAnswer(query, 10_000))["text"]).toBe("Approved and published.");
  return decided;
}

beforeAll(async () => {
  emu = await BotApiEmulator.start();
  admin = emu.user({ id: ADMIN_ID, first_name: "Admin", language_code: "en" });
  reader = emu.user({ id: 201, first_name: "Dana", language_code: "en" });
  author = emu.user({ id: 202, first_name: "Айгуль", language_code: "ru" });
  stranger = emu.user({ id: 666, first_name: "Mallory", language_code: "en" });
  const ms = await startBot();
  console.log(`npm start → first getUpdates: ${ms} ms`);
}, 90_000);

afterAll(async () => {
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

describe("following a case, news, moderation and notices (npm start)", () => {
  it("a reader subscribes from the card; its button becomes Unsubscribe", async () => {
    const mark = reader.mark();
    await reader.send("/case Bokayev");
    const card = await reader.waitForMessage(undefined, 10_000, mark);
    expect(card.plain).toContain("Maks Bokayev");
    expect(labels(card)).toContain("Subscribe");
    cardId = card.message_id;
    const edited = reader.waitForEdit(cardId, 10_000);
    const q = await reader.press(card, "Subscribe");
    expect((await reader.callbackAnswer(q, 10_000))["text"]).toContain("You now follow Maks Bokayev");
    const after = await edited;
    expect(labels(after)).toContain("Unsubscribe");
    expect(labels(after)).not.toContain("Subscribe");
    expect(query("SELECT user_id FROM subscriptions WHERE case_slug = ?", SLUG)).toEqual([{ user_id: reader.id }]);
  });

  it("another user sends news with HTML in it: escaped in the preview, Skip, Send, told a moderator will review it", async () => {
    let mark = author.mark();
    await author.send("/submit Бокаев");
    const ask = await author.waitForMessage(undefined, 10_000, mark);
    expect(ask.plain).toContain("Бокаев");
    mark = author.mark();
    await author.send(NEWS);
    const askSource = await author.waitForMessage(hasButton("sb:skip"), 10_000, mark);
    mark = author.mark();
    await author.press(askSource, "sb:skip");
    mark = await answerAnonymity(author, mark);
    const preview = await author.waitForMessage(hasButton("sb:send"), 10_000, mark);
    expect(preview.plain).toContain(NEWS);
    expect(preview.text).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(preview.text).not.toContain("<script>");
    expect(buttons(preview).map((b) => b.callback_data)).toEqual(["sb:send", "sb:cancel"]);

    const adminMark = admin.mark();
    mark = author.mark();
    await author.press(preview, "sb:send");
    const thanks = await author.waitForMessage(undefined, 10_000, mark);
    expect(thanks.plain).toMatch(/модератор|moderator/i);

    const mod = await admin.waitForMessage(undefined, 10_000, adminMark);
    expect(mod.plain).toContain(NEWS);
    expect(mod.text).toContain("&lt;b&gt;Суд&lt;/b&gt;");
    expect(mod.text).toContain("&amp;");
    expect(mod.plain).toContain(String(author.id));
    expect(labels(mod)).toEqual(["Approve", "Reject"]);
    firstId = Number(/#(\d+)/.exec(mod.plain)?.[1]);
    expect(buttons(mod).map((b) => b.callback_data)).toEqual([`ap:${firstId}`, `rj:${firstId}`]);
    firstModMsg = mod.message_id;
  });

  it("the admin approves: the follower gets the notice with Open the card, the author is told, the card shows it", async () => {
    const readerMark = reader.mark();
    const authorMark = author.mark();
    const edited = await approve(admin.messages().find((m) => m.message_id === firstModMsg)!);
    expect(edited.plain).toMatch(/Approved by 100/);
    expect(edited.plain).toContain("Followers notified: 1");
    expect(labels(edited)).toEqual([]);

    const notice = await reader.waitForMessage(undefined, 15_000, readerMark);
    expect(notice.plain).toContain("Other news · Maks Bokayev");
    expect(notice.plain).toContain(NEWS);
    expect(notice.text).not.toContain("<script>");
    expect(labels(notice)).toEqual(["Open the card"]);
    expect(buttons(notice)[0]?.callback_data).toBe(`c:${SLUG}`);

    const told = await author.waitForMessage(undefined, 10_000, authorMark);
    expect(told.plain).toMatch(/опубликован|published/i);

    let mark = reader.mark();
    await reader.send("/case Bokayev");
    const card = await reader.waitForMessage(undefined, 10_000, mark);
    expect(card.plain).toContain("Latest updates");
    expect(card.plain.indexOf(NEWS)).toBeGreaterThan(card.plain.indexOf("Latest updates"));
    expect(labels(card)).toContain("Unsubscribe");

    // "Open the card" on the notice turns it into the card.
    const opened = reader.waitForEdit(notice.message_id, 10_000);
    await reader.press(notice, "Open the card");
    expect((await opened).plain).toContain("Latest updates");
    mark = reader.mark();
    await sleep(300);
    expect(reader.messages().filter((m) => m.seq > mark)).toEqual([]);
    expect(query("SELECT status FROM deliveries WHERE event_id IS NOT NULL")).toEqual([{ status: "sent" }]);
  });

  it("forged and garbage callback data are answered and change nothing", async () => {
    const events = () => query<{ n: number }>("SELECT COUNT(*) AS n FROM case_events WHERE origin = 'update'")[0]?.n;
    expect(events()).toBe(1);
    const readerMark = reader.mark();

    let mark = stranger.mark();
    await stranger.send("/case Bokayev");
    const card = await stranger.waitForMessage(undefined, 10_000, mark);
    const forged = await stranger.pressRaw(`ap:${firstId}`, card.message_id);
    const answer = await stranger.callbackAnswer(forged, 10_000);
    expect(answer["text"]).toMatch(/^Only moderators/);
    expect(answer["show_alert"]).toBe(true);
    const forgedReject = await stranger.pressRaw(`rj:${firstId}`, card.message_id);
    expect((await stranger.callbackAnswer(forgedReject, 10_000))["text"]).toMatch(/^Only moderators/);

    // The admin presses Approve again on the (already edited) moderation message.
    const again = await admin.pressRaw(`ap:${firstId}`, firstModMsg);
    const already = await admin.callbackAnswer(again, 10_000);
    expect(already["text"]).toMatch(/^Already decided/);
    expect(already["text"]).toContain("approved");
    const missing = await admin.pressRaw("ap:999999", firstModMsg);
    expect((await admin.callbackAnswer(missing, 10_000))["text"]).toBe("There is no such submission.");

    for (const data of ["zzz", "ap:abc", "c:../../x", "s:../../etc", "ap:1:2", "", "x".repeat(64)]) {
      const q = await stranger.pressRaw(data, card.message_id);
      const a = await stranger.callbackAnswer(q, 10_000);
      expect(a["text"], `answer to ${JSON.stringify(data)}`).toBe("This button is no longer valid.");
    }
    mark = stranger.mark();
    await sleep(300);
    expect(stranger.messages().filter((m) => m.seq > mark)).toEqual([]);
    expect(reader.messages().filter((m) => m.seq > readerMark)).toEqual([]);
    expect(events()).toBe(1);
    expect(query("SELECT status, decided_by FROM submissions WHERE id = ?", firstId)).toEqual([{ status: "approved", decided_by: ADMIN_ID }]);
    expect(query("SELECT COUNT(*) AS n FROM deliveries WHERE event_id IS NOT NULL")).toEqual([{ n: 1 }]);
  });

  it("a submission half-way through survives a restart (SIGTERM), and reaches the admin", async () => {
    let mark = author.mark();
    await author.send("/submit Bokayev");
    await author.waitForMessage(undefined, 10_000, mark);
    mark = author.mark();
    await author.send(NEWS2);
    const askSource = await author.waitForMessage(hasButton("sb:skip"), 10_000, mark);
    // A deploy between two messages of the author: the bot has finished with the text, i.e. the draft
    // holding it is in the database (a few ms after the reply). SIGTERM with an update in hand: next test.
    const stored = () => query<{ n: number }>("SELECT COUNT(*) AS n FROM conversation_state WHERE value LIKE ?", "%жалобу Бокаева%")[0]?.n;
    for (const t0 = Date.now(); stored() === 0 && Date.now() - t0 < 10_000; ) await sleep(10);
    expect(stored()).toBe(1);

    await stopProcess(bot);
    expect(bot.stderr()).toContain('"msg":"stopped"');
    const ms = await startBot();
    console.log(`restart → first getUpdates: ${ms} ms`);

    mark = author.mark();
    await author.press(askSource, "sb:skip");
    mark = await answerAnonymity(author, mark, false, 15_000);
    const preview = await author.waitForMessage(hasButton("sb:send"), 15_000, mark);
    expect(preview.plain).toContain(NEWS2);
    const adminMark = admin.mark();
    mark = author.mark();
    await author.press(preview, "sb:send");
    expect((await author.waitForMessage(undefined, 10_000, mark)).plain).toMatch(/модератор|moderator/i);
    const mod = await admin.waitForMessage(undefined, 10_000, adminMark);
    expect(mod.plain).toContain(NEWS2);
    secondId = Number(/#(\d+)/.exec(mod.plain)?.[1]);
    expect(secondId).toBeGreaterThan(firstId);

    // A forged approval of this pending submission does nothing.
    const forged = await stranger.pressRaw(`ap:${secondId}`);
    expect((await stranger.callbackAnswer(forged, 10_000))["text"]).toMatch(/^Only moderators/);
    await sleep(200);
    expect(query("SELECT status FROM submissions WHERE id = ?", secondId)).toEqual([{ status: "pending" }]);

    // The admin approves it; the follower is notified by the restarted bot's outbox worker.
    const readerMark = reader.mark();
    await approve(mod);
    const notice = await reader.waitForMessage(undefined, 15_000, readerMark);
    expect(notice.plain).toContain(NEWS2);
  }, 90_000);

  /**
   * Graceful shutdown drains the updates in hand: an update already confirmed to Telegram must be
   * finished before the database closes. Made deterministic by a 429 on the bot's reply (auto-retry
   * holds the update ~1 s) and SIGTERM meanwhile.
   */
  it("SIGTERM while an update is in hand: it is finished before the process exits", async () => {
    try {
      let mark = author.mark();
      await author.send("/submit Bokayev");
      await author.waitForMessage(undefined, 10_000, mark);
      emu.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
      const since = emu.calls.length;
      mark = author.mark();
      await author.send(NEWS2);
      await emu.waitForCall("sendMessage", (c) => c.status === 429, 10_000, since);
      await stopProcess(bot);
      await startBot();
      const askSource = await author.waitForMessage(hasButton("sb:skip"), 3_000, mark);
      mark = author.mark();
      await author.press(askSource, "sb:skip");
      mark = await answerAnonymity(author, mark);
      expect((await author.waitForMessage(hasButton("sb:send"), 10_000, mark)).plain).toContain(NEWS2);
    } finally {
      if (bot.child.exitCode !== null || bot.child.signalCode !== null) await startBot();
      const mark = author.mark();
      await author.send("/cancel");
      await author.waitForMessage(undefined, 10_000, mark);
    }
  }, 90_000);

  it("a 6,000-character text is refused with a clear message and a second chance", async () => {
    let mark = author.mark();
    await author.send("/submit Bokayev");
    await author.waitForMessage(undefined, 10_000, mark);
    mark = author.mark();
    await author.send("Ж".repeat(6000));
    const refusal = await author.waitForMessage(undefined, 10_000, mark);
    expect(refusal.plain).toContain("6000");
    expect(refusal.plain).toContain("2000");
    expect(buttons(refusal)).toEqual([]);
    // Still in the conversation: a good text goes on to the source step.
    mark = author.mark();
    await author.send(NEWS3);
    const askSource = await author.waitForMessage(undefined, 10_000, mark);
    expect(buttons(askSource).map((b) => b.callback_data)).toEqual(["sb:skip"]);
    mark = author.mark();
    await author.send("/cancel");
    await author.waitForMessage(undefined, 10_000, mark);
    expect(query("SELECT COUNT(*) AS n FROM submissions WHERE status = 'pending'")).toEqual([{ n: 0 }]);
  });

  it("after the reader unsubscribes, a further approved update sends them nothing", async () => {
    let mark = reader.mark();
    await reader.send("/case Bokayev");
    const card = await reader.waitForMessage(undefined, 10_000, mark);
    expect(labels(card)).toContain("Unsubscribe");
    const edited = reader.waitForEdit(card.message_id, 10_000);
    const q = await reader.press(card, "Unsubscribe");
    expect((await reader.callbackAnswer(q, 10_000))["text"]).toContain("You no longer follow Maks Bokayev");
    expect(labels(await edited)).toContain("Subscribe");
    expect(query("SELECT COUNT(*) AS n FROM subscriptions")).toEqual([{ n: 0 }]);

    const { modMsg } = await submitNews("Bokayev", NEWS3, "https://example.org/news?id=3&x=1");
    expect(modMsg.plain).toContain("https://example.org/news?id=3&x=1");
    const readerMark = reader.mark();
    const decided = await approve(modMsg);
    expect(decided.plain).toContain("Followers notified: 0");
    await sleep(2_000);
    expect(reader.messages().filter((m) => m.seq > readerMark)).toEqual([]);
    expect(query("SELECT COUNT(*) AS n FROM deliveries WHERE user_id = ? AND event_id IS NOT NULL", reader.id)).toEqual([{ n: 2 }]);
  }, 30_000);

  it("never sent Telegram anything it would reject (every message was valid Telegram HTML)", () => {
    expect(emu.errors.filter((e) => !e.injected).map((e) => `${e.method} → ${e.status} ${e.description ?? ""}`)).toEqual([]);
    expect(bot.stderr()).not.toMatch(/"level":"error"/);
  });
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator, type MessageView, type SimUser } from "../../src/emulator/index.js";
import { botEnv, type BotProcess, startPollingBot, stopProcess } from "../helpers/process.js";
import { answerAnonymity, approveAsOther, buttons, hasButton, sleep, submitNews as submitNewsAs } from "../helpers/flows.js";

/**
 * Level 3 acceptance: following a case, sending news, moderation and the notice to followers, with
 * `npm start` as a real process (fresh SQLite file, ADMIN_IDS set) against the Bot API emulator.
 * The process is shared; each test has readers and authors of its own and sends its own news, and
 * waits for the messages it is about (the outbox may still deliver another test's notices to the admin).
 */
const ADMIN_ID = 100;
const SLUG = "maks-bokayev";
/** Followed by no test but the one about unsubscribing: its notices are counted exactly. */
const QUIET = { query: "Golyshkin", slug: "yaroslav-golyshkin" };
const NEWS = "<b>Суд</b> продлил арест Бокаеву & <script>x</script>";

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
let nextUserId = 300;
/** A user no other test has spoken as. */
const newUser = (first_name: string, language_code: "en" | "ru") => emu.user({ id: nextUserId++, first_name, language_code });
/** News no other test has sent. */
let newsCount = 0;
const news = (text: string) => `${text} (${++newsCount})`;

/** /case for the user; returns the card. */
async function openCard(user: SimUser, search = "Bokayev"): Promise<MessageView> {
  const mark = user.mark();
  await user.send(`/case ${search}`);
  return user.waitForMessage((m) => labels(m).includes("Subscribe") || labels(m).includes("Unsubscribe"), 10_000, mark);
}

/** The user follows the case from its card; returns the card. */
async function subscribe(user: SimUser, search = "Bokayev"): Promise<MessageView> {
  const card = await openCard(user, search);
  const edited = user.waitForEdit(card.message_id, 10_000);
  const q = await user.press(card, "Subscribe");
  expect((await user.callbackAnswer(q, 10_000))["text"]).toContain("You now follow");
  return edited;
}

/** Sends /submit, the text, Skip (or a URL) and Send; returns the submission id and the message the admin was shown. */
async function submitNews(author: SimUser, search: string, text: string, source: string | null): Promise<{ id: number; modMsg: MessageView }> {
  const modMsg = await submitNewsAs(author, admin, search, text, source);
  expect(labels(modMsg)).toContain("Approve");
  expect(modMsg.plain).toContain(text);
  const id = Number(/#(\d+)/.exec(modMsg.plain)?.[1]);
  expect(id).toBeGreaterThan(0);
  return { id, modMsg };
}

/** Waits until the outbox has nothing left to send (notices of earlier steps and tests included). */
async function outboxIdle(): Promise<void> {
  for (const t0 = Date.now(); query("SELECT 1 FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?", Date.now() + 2000).length > 0; ) {
    if (Date.now() - t0 > 15_000) throw new Error("the outbox still has messages to send after 15 s");
    await sleep(50);
  }
}

async function approve(modMsg: MessageView): Promise<MessageView> {
  const { query, decided } = await approveAsOther(admin, modMsg);
  expect((await admin.callbackAnswer(query, 10_000))["text"]).toBe("Approved and published.");
  return decided;
}

beforeAll(async () => {
  emu = await BotApiEmulator.start();
  admin = emu.user({ id: ADMIN_ID, first_name: "Admin", language_code: "en" });
  const ms = await startBot();
  console.log(`npm start → first getUpdates: ${ms} ms`);
}, 90_000);

afterAll(async () => {
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

let errorsSeen = 0;
afterEach(() => {
  // Every message of the test was one Telegram accepts (valid HTML, lengths, buttons), and the bot
  // logged no error.
  const errors = emu.errors.slice(errorsSeen);
  errorsSeen = emu.errors.length;
  expect(errors.filter((e) => !e.injected).map((e) => `${e.method} → ${e.status} ${e.description ?? ""}`)).toEqual([]);
  expect(bot.stderr()).not.toMatch(/"level":"error"/);
});

describe("following a case, news, moderation and notices (npm start)", () => {
  it("a reader subscribes from the card; its button becomes Unsubscribe", async () => {
    const reader = newUser("Dana", "en");
    const card = await openCard(reader);
    expect(card.plain).toContain("Maks Bokayev");
    expect(labels(card)).toContain("Subscribe");
    const edited = reader.waitForEdit(card.message_id, 10_000);
    const q = await reader.press(card, "Subscribe");
    expect((await reader.callbackAnswer(q, 10_000))["text"]).toContain("You now follow Maks Bokayev");
    const after = await edited;
    expect(labels(after)).toContain("Unsubscribe");
    expect(labels(after)).not.toContain("Subscribe");
    expect(query("SELECT case_slug FROM subscriptions WHERE user_id = ?", reader.id)).toEqual([{ case_slug: SLUG }]);
  });

  it("another user sends news with HTML in it: escaped in the preview, Skip, Send, told a moderator will review it", async () => {
    const author = newUser("Айгуль", "ru");
    const text = news(NEWS);
    let mark = author.mark();
    await author.send("/submit Бокаев");
    const ask = await author.waitForMessage(undefined, 10_000, mark);
    expect(ask.plain).toContain("Бокаев");
    mark = author.mark();
    await author.send(text);
    const askSource = await author.waitForMessage(hasButton("sb:skip"), 10_000, mark);
    mark = author.mark();
    await author.press(askSource, "sb:skip");
    mark = await answerAnonymity(author, mark);
    const preview = await author.waitForMessage(hasButton("sb:send"), 10_000, mark);
    expect(preview.plain).toContain(text);
    expect(preview.text).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(preview.text).not.toContain("<script>");
    expect(buttons(preview).map((b) => b.callback_data)).toEqual(["sb:send", "sb:cancel"]);

    const adminMark = admin.mark();
    mark = author.mark();
    await author.press(preview, "sb:send");
    const thanks = await author.waitForMessage(undefined, 10_000, mark);
    expect(thanks.plain).toMatch(/модератор|moderator/i);

    // The admin's copy comes through the outbox, maybe after another test's: the one with this news.
    const mod = await admin.waitForMessage((m) => m.plain.includes(text), 10_000, adminMark);
    expect(mod.text).toContain("&lt;b&gt;Суд&lt;/b&gt;");
    expect(mod.text).toContain("&amp;");
    expect(mod.plain).toContain(String(author.id));
    expect(labels(mod)).toEqual(["Approve", "Reject"]);
    const id = Number(/#(\d+)/.exec(mod.plain)?.[1]);
    expect(buttons(mod).map((b) => b.callback_data)).toEqual([`ap:${id}`, `rj:${id}`]);
    expect(query("SELECT author_id, status FROM submissions WHERE id = ?", id)).toEqual([{ author_id: author.id, status: "pending" }]);
  });

  it("the admin approves: the follower gets the notice with Open the card, the author is told, the card shows it", async () => {
    const reader = newUser("Dana", "en");
    const author = newUser("Айгуль", "ru");
    await subscribe(reader);
    const text = news(NEWS);
    const { modMsg } = await submitNews(author, "Бокаев", text, null);
    const readerMark = reader.mark();
    const authorMark = author.mark();
    const edited = await approve(modMsg);
    expect(edited.plain).toMatch(/Approved by 100/);
    expect(edited.plain).toMatch(/Followers notified: [1-9]/);
    expect(labels(edited)).toEqual([]);

    const notice = await reader.waitForMessage((m) => m.plain.includes(text), 15_000, readerMark);
    expect(notice.plain).toContain("Other news · Maks Bokayev");
    expect(notice.text).not.toContain("<script>");
    expect(labels(notice)).toEqual(["Open the card"]);
    expect(buttons(notice)[0]?.callback_data).toBe(`c:${SLUG}`);

    const told = await author.waitForMessage((m) => /опубликован|published/i.test(m.plain), 10_000, authorMark);
    expect(told.plain).toContain("Бокаев");

    const card = await openCard(reader);
    expect(card.plain).toContain("Latest updates");
    expect(card.plain.indexOf(text)).toBeGreaterThan(card.plain.indexOf("Latest updates"));
    expect(labels(card)).toContain("Unsubscribe");

    // "Open the card" on the notice turns it into the card.
    const opened = reader.waitForEdit(notice.message_id, 10_000);
    await reader.press(notice, "Open the card");
    expect((await opened).plain).toContain("Latest updates");
    const mark = reader.mark();
    await sleep(300);
    expect(reader.messages().filter((m) => m.seq > mark)).toEqual([]);
    expect(query("SELECT status FROM deliveries WHERE user_id = ? AND event_id IS NOT NULL", reader.id)).toEqual([{ status: "sent" }]);
  });

  it("forged and garbage callback data are answered and change nothing", async () => {
    const reader = newUser("Dana", "en");
    const author = newUser("Айгуль", "ru");
    const stranger = newUser("Mallory", "en");
    await subscribe(reader);
    const { id, modMsg } = await submitNews(author, "Бокаев", news(NEWS), null);
    await approve(modMsg);
    const events = () => query<{ n: number }>("SELECT COUNT(*) AS n FROM case_events WHERE origin = 'update'")[0]?.n;
    const deliveries = () => query("SELECT COUNT(*) AS n FROM deliveries WHERE event_id = (SELECT event_id FROM submissions WHERE id = ?)", id);
    // The approval's notice to the reader goes out first.
    for (const t0 = Date.now(); query("SELECT 1 FROM deliveries WHERE user_id = ? AND status = 'sent'", reader.id).length === 0 && Date.now() - t0 < 15_000; ) await sleep(50);
    const eventsBefore = events();
    const deliveriesBefore = deliveries();
    // One notice per follower of the case (readers of other tests follow it too).
    expect(query("SELECT COUNT(*) AS n FROM deliveries WHERE user_id = ? AND event_id = (SELECT event_id FROM submissions WHERE id = ?)", reader.id, id)).toEqual([{ n: 1 }]);
    const readerMark = reader.mark();

    const card = await openCard(stranger);
    const forged = await stranger.pressRaw(`ap:${id}`, card.message_id);
    const answer = await stranger.callbackAnswer(forged, 10_000);
    expect(answer["text"]).toMatch(/^Only moderators/);
    expect(answer["show_alert"]).toBe(true);
    const forgedReject = await stranger.pressRaw(`rj:${id}`, card.message_id);
    expect((await stranger.callbackAnswer(forgedReject, 10_000))["text"]).toMatch(/^Only moderators/);

    // The admin presses Approve again on the (already edited) moderation message.
    const again = await admin.pressRaw(`ap:${id}`, modMsg.message_id);
    const already = await admin.callbackAnswer(again, 10_000);
    expect(already["text"]).toMatch(/^Already decided/);
    expect(already["text"]).toContain("approved");
    const missing = await admin.pressRaw("ap:999999", modMsg.message_id);
    expect((await admin.callbackAnswer(missing, 10_000))["text"]).toBe("There is no such submission.");

    for (const data of ["zzz", "ap:abc", "c:../../x", "s:../../etc", "ap:1:2", "", "x".repeat(64)]) {
      const q = await stranger.pressRaw(data, card.message_id);
      const a = await stranger.callbackAnswer(q, 10_000);
      expect(a["text"], `answer to ${JSON.stringify(data)}`).toBe("This button is no longer valid.");
    }
    const mark = stranger.mark();
    await sleep(300);
    expect(stranger.messages().filter((m) => m.seq > mark)).toEqual([]);
    expect(reader.messages().filter((m) => m.seq > readerMark)).toEqual([]);
    expect(events()).toBe(eventsBefore);
    expect(query("SELECT status, decided_by FROM submissions WHERE id = ?", id)).toEqual([{ status: "approved", decided_by: ADMIN_ID }]);
    expect(deliveries()).toEqual(deliveriesBefore);
  });

  it("a submission half-way through survives a restart (SIGTERM), and reaches the admin", async () => {
    const reader = newUser("Dana", "en");
    const author = newUser("Айгуль", "ru");
    const stranger = newUser("Mallory", "en");
    await subscribe(reader);
    const text = news("Апелляционный суд рассмотрит жалобу Бокаева в понедельник");
    let mark = author.mark();
    await author.send("/submit Bokayev");
    await author.waitForMessage(undefined, 10_000, mark);
    mark = author.mark();
    await author.send(text);
    const askSource = await author.waitForMessage(hasButton("sb:skip"), 10_000, mark);
    // A deploy between two messages of the author: the bot has finished with the text, i.e. the draft
    // holding it is in the database (a few ms after the reply). SIGTERM with an update in hand: next test.
    const stored = () => query<{ n: number }>("SELECT COUNT(*) AS n FROM conversation_state WHERE value LIKE ?", `%${text}%`)[0]?.n;
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
    expect(preview.plain).toContain(text);
    const adminMark = admin.mark();
    mark = author.mark();
    await author.press(preview, "sb:send");
    expect((await author.waitForMessage(undefined, 10_000, mark)).plain).toMatch(/модератор|moderator/i);
    const mod = await admin.waitForMessage((m) => m.plain.includes(text), 10_000, adminMark);
    const id = Number(/#(\d+)/.exec(mod.plain)?.[1]);
    expect(query("SELECT author_id, status FROM submissions WHERE id = ?", id)).toEqual([{ author_id: author.id, status: "pending" }]);

    // A forged approval of this pending submission does nothing.
    const strangerCard = await openCard(stranger);
    const forged = await stranger.pressRaw(`ap:${id}`, strangerCard.message_id);
    expect((await stranger.callbackAnswer(forged, 10_000))["text"]).toMatch(/^Only moderators/);
    await sleep(200);
    expect(query("SELECT status FROM submissions WHERE id = ?", id)).toEqual([{ status: "pending" }]);

    // The admin approves it; the follower is notified by the restarted bot's outbox worker.
    const readerMark = reader.mark();
    await approve(mod);
    const notice = await reader.waitForMessage((m) => m.plain.includes(text), 15_000, readerMark);
    expect(labels(notice)).toEqual(["Open the card"]);
  }, 90_000);
  /**
   * Graceful shutdown drains the updates in hand: an update already confirmed to Telegram must be
   * finished before the database closes. Made deterministic by a 429 on the bot's reply (auto-retry
   * holds the update ~1 s) and SIGTERM meanwhile.
   */
  it("SIGTERM while an update is in hand: it is finished before the process exits", async () => {
    const author = newUser("Айгуль", "ru");
    const text = news("Бокаева перевели в другую колонию; адвокат узнал об этом из письма");
    try {
      let mark = author.mark();
      await author.send("/submit Bokayev");
      await author.waitForMessage(undefined, 10_000, mark);
      // The 429 is for the author's reply: no notice of another test may be on its way to take it.
      await outboxIdle();
      emu.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
      const since = emu.calls.length;
      mark = author.mark();
      await author.send(text);
      await emu.waitForCall("sendMessage", (c) => c.status === 429, 10_000, since);
      await stopProcess(bot);
      await startBot();
      const askSource = await author.waitForMessage(hasButton("sb:skip"), 3_000, mark);
      mark = author.mark();
      await author.press(askSource, "sb:skip");
      mark = await answerAnonymity(author, mark);
      expect((await author.waitForMessage(hasButton("sb:send"), 10_000, mark)).plain).toContain(text);
    } finally {
      if (bot.child.exitCode !== null || bot.child.signalCode !== null) await startBot();
      const mark = author.mark();
      await author.send("/cancel");
      await author.waitForMessage(undefined, 10_000, mark);
    }
  }, 90_000);

  it("a 6,000-character text is refused with a clear message and a second chance", async () => {
    const author = newUser("Айгуль", "ru");
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
    await author.send(news("Бокаева перевели в другую колонию; адвокат узнал об этом из письма"));
    const askSource = await author.waitForMessage(undefined, 10_000, mark);
    expect(buttons(askSource).map((b) => b.callback_data)).toEqual(["sb:skip"]);
    mark = author.mark();
    await author.send("/cancel");
    await author.waitForMessage(undefined, 10_000, mark);
    expect(query("SELECT COUNT(*) AS n FROM submissions WHERE author_id = ?", author.id)).toEqual([{ n: 0 }]);
  });

  it("after the reader unsubscribes, a further approved update sends them nothing", async () => {
    const reader = newUser("Dana", "en");
    const author = newUser("Айгуль", "ru");
    const subscribed = await subscribe(reader, QUIET.query);
    expect(labels(subscribed)).toContain("Unsubscribe");
    const card = await openCard(reader, QUIET.query);
    expect(labels(card)).toContain("Unsubscribe");
    const edited = reader.waitForEdit(card.message_id, 10_000);
    const q = await reader.press(card, "Unsubscribe");
    expect((await reader.callbackAnswer(q, 10_000))["text"]).toContain("You no longer follow");
    expect(labels(await edited)).toContain("Subscribe");
    expect(query("SELECT COUNT(*) AS n FROM subscriptions WHERE user_id = ?", reader.id)).toEqual([{ n: 0 }]);

    const { id, modMsg } = await submitNews(author, QUIET.query, news("Голышкин подал жалобу"), "https://example.org/news?id=3&x=1");
    expect(modMsg.plain).toContain("https://example.org/news?id=3&x=1");
    expect(query("SELECT case_slug FROM submissions WHERE id = ?", id)).toEqual([{ case_slug: QUIET.slug }]);
    const readerMark = reader.mark();
    const decided = await approve(modMsg);
    expect(decided.plain).toContain("Followers notified: 0");
    await sleep(2_000);
    expect(reader.messages().filter((m) => m.seq > readerMark)).toEqual([]);
    expect(query("SELECT COUNT(*) AS n FROM deliveries WHERE user_id = ? AND event_id IS NOT NULL", reader.id)).toEqual([{ n: 0 }]);
  }, 30_000);
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator, type MessageView, type SimUser } from "../../src/emulator/index.js";
import { buttons, hasButton, sleep, submitNews } from "../helpers/flows.js";
import { botEnv, type BotProcess, startPollingBot, stopProcess } from "../helpers/process.js";

/**
 * Level 3 for keeping cards current: `npm start` against the emulator. Typed approvals that change a
 * status, a status-only follower, a hearing reminder sent once across restarts, /newcase then /case
 * in Cyrillic, an edit with its revision and a revert, the second-moderator rule, and a reader
 * refused at every step. The process, the admin and the moderator are shared; each test has a case,
 * followers, an author and a reader of its own, and waits for the messages it is about.
 */
const ADMIN = 100;
const MOD = 200;
let emu: BotApiEmulator;
let bot: BotProcess;
let admin: SimUser;
let mod: SimUser;
let nextUserId = 300;
/** A user no other test has spoken as. */
const newUser = (first_name: string, language_code: "en" | "ru") => emu.user({ id: nextUserId++, first_name, language_code });
const dbFile = join(mkdtempSync(join(tmpdir(), "casebot-e2e-admin-")), "bot.sqlite");
const env = () => botEnv(emu.apiRoot, dbFile, { ADMIN_IDS: String(ADMIN) });

async function startBot(): Promise<void> {
  ({ bot } = await startPollingBot(env(), emu));
}

async function restart(): Promise<void> {
  await stopProcess(bot);
  await startBot();
}

/** Sends `text` and waits for the bot's next message to that user (optionally one matching `pred`). */
async function say(user: SimUser, text: string, pred?: (m: MessageView) => boolean): Promise<MessageView> {
  const mark = user.mark();
  await user.send(text);
  return user.waitForMessage(pred, 10_000, mark);
}

async function press(user: SimUser, message: MessageView, data: string, pred?: (m: MessageView) => boolean): Promise<MessageView> {
  const mark = user.mark();
  await user.press(message, data);
  return user.waitForMessage(pred, 10_000, mark);
}

/** A new author submits news about the case `search` finds; returns the admin's moderation message. */
async function submit(search: string, text: string): Promise<MessageView> {
  return submitNews(newUser("Author", "en"), admin, search, text);
}

/** The user follows the case `search` finds (all updates, or status changes only). */
async function follow(user: SimUser, search: string, slug: string, statusOnly = false): Promise<void> {
  const card = await say(user, `/case ${search}`, hasButton(`s:${slug}`));
  const edited = user.waitForEdit(card.message_id, 10_000);
  await user.press(card, `s:${slug}`);
  await edited;
  if (!statusOnly) return;
  const list = await say(user, "/subscriptions", hasButton(`sm:${slug}`));
  const mode = user.waitForEdit(list.message_id, 10_000);
  await user.press(list, `sm:${slug}`);
  expect((await mode).plain).toContain("status changes only");
}

/**
 * The moderator adds a case through /newcase (summary in Russian) and the admin confirms it; a
 * reader then finds it.
 */
async function addCase(names: { en: string; ru: string }, beforeConfirm?: () => Promise<void>): Promise<void> {
  await say(mod, "/newcase", (m) => m.plain.includes("Step 1"));
  await say(mod, names.en, (m) => m.plain.includes("Step 2"));
  await say(mod, names.ru, (m) => m.plain.includes("Step 3"));
  const category = await say(mod, names.ru, hasButton("an:c:political_prisoner"));
  const role = await press(mod, category, "an:c:political_prisoner", hasButton("an:r:journalist"));
  const status = await press(mod, role, "an:r:journalist", hasButton("an:s:imprisoned"));
  const lang = await press(mod, status, "an:s:imprisoned", hasButton("an:l:ru"));
  await press(mod, lang, "an:l:ru", (m) => m.plain.includes("Step 8"));
  await say(mod, "Вымышленный журналист осуждён; запись только для проверки бота.", (m) => m.plain.includes("Step 9"));
  const preview = await say(mod, "https://example.org/testov", hasButton("an:save"));
  const adminMark = admin.mark();
  await press(mod, preview, "an:save", (m) => m.plain.includes("Saved"));
  await beforeConfirm?.();
  const ask = await admin.waitForMessage((m) => m.plain.includes(names.en) && buttons(m).some((b) => b.callback_data?.startsWith("rv:")), 10_000, adminMark);
  const confirm = buttons(ask).find((b) => b.callback_data?.startsWith("rv:"))!.callback_data!;
  const q = await admin.press(ask, confirm);
  await admin.callbackAnswer(q, 10_000);
}

/** The admin's message after pressing `data` on it (the bot edits it in place). */
async function pressEdit(user: SimUser, message: MessageView | number, data: string): Promise<MessageView> {
  const id = typeof message === "number" ? message : message.message_id;
  const edited = user.waitForEdit(id, 10_000);
  await user.press(id, data);
  return edited;
}

function withDb<T>(fn: (db: SQLite.Database) => T): T {
  const db = new SQLite(dbFile);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  emu = await BotApiEmulator.start();
  admin = emu.user({ id: ADMIN, first_name: "Admin", language_code: "en" });
  mod = emu.user({ id: MOD, first_name: "Mod", language_code: "en" });
  await startBot();
  await say(admin, `/promote ${MOD}`, (m) => m.plain.includes("is now a moderator"));
}, 120_000);

afterAll(async () => {
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

let errorsSeen = 0;
afterEach(() => {
  // Every message of the test was one Telegram accepts (valid HTML, lengths, buttons).
  const errors = emu.errors.slice(errorsSeen);
  errorsSeen = emu.errors.length;
  expect(errors.filter((e) => !e.injected).map((e) => `${e.method}: ${e.description}`)).toEqual([]);
});

describe("typed updates", () => {
  it("a detention that changes the status reaches both followers, labelled, and the card shows the new status", async () => {
    const [fan, statusFan, reader] = [newUser("Follower", "ru"), newUser("StatusOnly", "en"), newUser("Reader", "en")];
    await follow(fan, "Bokayev", "maks-bokayev");
    await follow(statusFan, "Bokayev", "maks-bokayev", true);
    const text = "Maks Bokayev was detained again, his lawyer told reporters.";
    const review = await submit("Bokayev", text);
    const fanMark = fan.mark();
    const statusMark = statusFan.mark();
    await pressEdit(admin, review, `ap:${/#(\d+)/.exec(review.plain)![1]}`);
    const id = /#(\d+)/.exec(review.plain)![1];
    const choice = await pressEdit(admin, review, `ty:${id}:detention`);
    expect(buttons(choice).map((b) => b.text)[0]).toBe("Change status to «In pre-trial detention»");
    await pressEdit(admin, review, `tys:${id}:detention:1`);
    const ru = await fan.waitForMessage((m) => m.plain.includes(text), 10_000, fanMark);
    expect(ru.plain.startsWith("Задержание")).toBe(true);
    const en = await statusFan.waitForMessage((m) => m.plain.includes(text), 10_000, statusMark);
    expect(en.plain).toContain("Detention");
    expect(en.plain).toContain("In prison → In pre-trial detention");
    const card = await say(reader, "/case Bokayev");
    expect(card.plain).toContain("Status: In pre-trial detention — since");
  });

  it("plain news reaches followers of all updates but not a status-only follower", async () => {
    const [fan, statusFan] = [newUser("Follower", "ru"), newUser("StatusOnly", "en")];
    await follow(fan, "Atabek", "aron-atabek");
    await follow(statusFan, "Atabek", "aron-atabek", true);
    const text = "The court adjourned the appeal hearing without a decision today.";
    const review = await submit("Atabek", text);
    const id = /#(\d+)/.exec(review.plain)![1];
    const fanMark = fan.mark();
    const statusMark = statusFan.mark();
    await pressEdit(admin, review, `ap:${id}`);
    await pressEdit(admin, review, `ty:${id}:verdict`);
    expect((await fan.waitForMessage((m) => m.plain.includes(text), 10_000, fanMark)).plain.startsWith("Приговор")).toBe(true);
    await sleep(2000);
    expect(statusFan.messages().filter((m) => m.seq > statusMark)).toHaveLength(0);
  });

  it("a hearing reminder is sent the day before, once, across restarts", async () => {
    const fan = newUser("Follower", "ru");
    await follow(fan, "Bukenov", "sanat-bukenov");
    const review = await submit("Bukenov", "The next hearing was scheduled by the city court this week.");
    const id = /#(\d+)/.exec(review.plain)![1];
    await pressEdit(admin, review, `ap:${id}`);
    const ask = admin.mark();
    await admin.press(review.message_id, `ty:${id}:hearing`);
    await admin.waitForMessage((m) => m.plain.includes("YYYY-MM-DD"), 10_000, ask);
    const day = new Date(Date.now() + 5 * 24 * 3600_000).toISOString().slice(0, 10);
    await say(admin, day);
    await sleep(1500);
    const fanMark = fan.mark();
    await restart();
    // The day before the hearing comes: make the reminder due, as the clock would.
    withDb((db) => db.prepare("UPDATE deliveries SET next_attempt_at = ? WHERE kind = 'reminder' AND user_id = ?").run(Date.now(), fan.id));
    const reminder = await fan.waitForMessage((m) => m.plain.includes("Напоминание") || m.plain.includes("завтра"), 15_000, fanMark);
    expect(reminder.plain).toMatch(/завтра/i);
    await restart();
    await sleep(2500);
    const reminders = fan.messages().filter((m) => m.seq > fanMark && /завтра/i.test(m.plain));
    expect(reminders).toHaveLength(1);
    expect(withDb((db) => db.prepare("SELECT status FROM deliveries WHERE kind = 'reminder' AND user_id = ?").all(fan.id))).toEqual([{ status: "sent" }]);
  }, 90_000);

  it("a release waits for a second moderator, then shows", async () => {
    const reader = newUser("Reader", "en");
    const review = await submit("Batyrov", "Edige Batyrov was released today after serving his term.");
    const id = /#(\d+)/.exec(review.plain)![1];
    await pressEdit(admin, review, `ap:${id}`);
    await pressEdit(admin, review, `ty:${id}:release`);
    const waiting = await pressEdit(admin, review, `tys:${id}:release:1`);
    expect(waiting.plain).toContain("A second moderator must confirm");
    expect((await say(reader, "/case Batyrov")).plain).not.toContain("Status: Released");
    // What waits is offered as any waiting change is: Confirm / Discard of a revision.
    const confirm = buttons(waiting).find((b) => b.callback_data?.startsWith("rv:"))?.callback_data;
    expect(confirm).toMatch(/^rv:\d+$/);
    const own = await admin.pressRaw(confirm!, review.message_id);
    expect(String((await admin.callbackAnswer(own, 10_000))["text"])).toContain("you approved it yourself");
    const open = await say(mod, "/queue", hasButton(confirm!));
    const confirmed = mod.waitForEdit(open.message_id, 10_000);
    await mod.press(open, confirm!);
    expect((await confirmed).plain).toContain("Approved by");
    expect((await say(reader, "/case Batyrov")).plain).toContain("Status: Released");
  });
});

describe("case administration", () => {
  it("/newcase, confirmed by a second moderator, is found by /case in Cyrillic", async () => {
    const reader = newUser("Reader", "en");
    await addCase({ en: "Arman Testov", ru: "Арман Тестов" }, async () => {
      // Saved, but hidden until a second moderator confirms it.
      expect((await say(reader, "/case Арман Тестов")).plain).not.toContain("Arman Testov");
    });
    await sleep(300);
    for (const query of ["Арман Тестов", "Testov", "Тестова"]) {
      const card = await say(reader, `/case ${query}`);
      expect(card.plain, query).toContain("Arman Testov");
      expect(card.plain, query).toContain("added by moderators");
    }
  });

  it("an edit is a revision in /history, and an admin's revert needs a second moderator", async () => {
    const reader = newUser("Reader", "en");
    await addCase({ en: "Serik Proverkin", ru: "Серик Проверкин" });
    await sleep(300);
    const fields = await say(mod, "/editcase Serik Proverkin", hasButton("ae:f:status"));
    const values = await press(mod, fields, "ae:f:status", hasButton("ae:v:detained"));
    // Outbox messages (the proposer told of the confirmation) may still arrive: wait for the
    // messages this step is about.
    await press(mod, values, "ae:v:detained", (m) => m.plain.includes("What is the source"));
    const saved = await say(mod, "https://example.org/proverkin-detained", (m) => m.plain.includes("Saved as change"));
    const rev = Number(/#(\d+)/.exec(saved.plain)![1]);
    expect((await say(reader, "/case Serik Proverkin")).plain).toContain("Held in a detention facility");
    const history = await say(admin, "/history Serik Proverkin", (m) => m.plain.includes("History of changes"));
    expect(history.plain).toContain(`#${rev}`);
    expect(history.plain).toContain("In prison → Held in a detention facility");
    const proposed = await say(admin, `/revert ${rev} wrong person`, (m) => m.plain.includes("Revert proposed"));
    const revert = Number(/#(\d+)/.exec(proposed.plain)![1]);
    expect((await say(reader, "/case Serik Proverkin")).plain).toContain("Held in a detention facility");
    const done = await say(mod, `/confirm ${revert}`, (m) => m.plain.includes("Confirmed and applied"));
    expect(done.plain).toContain(`#${revert}`);
    expect((await say(reader, "/case Serik Proverkin")).plain).toContain("Status: In prison");
  });

  it("a reader is refused at every step, forged buttons included", async () => {
    const reader = newUser("Reader", "en");
    for (const command of ["/newcase", "/editcase Bokayev", "/history Bokayev", "/translations", "/confirm 1", "/revert 1", "/queue", `/promote ${reader.id}`]) {
      const answer = await say(reader, command);
      expect(answer.plain, command).toMatch(/Only (moderators|admins) can do this/);
    }
    for (const data of ["ap:1", "ty:1:release", "tys:1:release:1", "cf:1", "rv:1", "rvx:1", "an:save", "ae:v:released"]) {
      const q = await reader.pressRaw(data);
      expect(String((await reader.callbackAnswer(q, 10_000))["text"]), data).toMatch(/Only moderators|no longer valid/);
    }
    const rows = withDb((db) => db.prepare("SELECT COUNT(*) AS n FROM case_revisions WHERE actor_id = ?").get(reader.id) as { n: number });
    expect(rows.n).toBe(0);
  });
});

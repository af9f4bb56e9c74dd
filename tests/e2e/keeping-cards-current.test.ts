import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator, type MessageView, type SimUser } from "../../src/emulator/index.js";
import { answerAnonymity, buttons, hasButton, sleep } from "../helpers/flows.js";
import { botEnv, type BotProcess, startPollingBot, stopProcess } from "../helpers/process.js";

/**
 * Level 3 for keeping cards current: `npm start` against the emulator. Typed approvals that change a
 * status, a status-only follower, a hearing reminder sent once across restarts, /newcase then /case
 * in Cyrillic, an edit with its revision and a revert, the second-moderator rule, and a reader
 * refused at every step.
 */
const ADMIN = 100;
const MOD = 200;
let emu: BotApiEmulator;
let bot: BotProcess;
let admin: SimUser;
let mod: SimUser;
let fan: SimUser;
let statusFan: SimUser;
let author: SimUser;
let reader: SimUser;
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

/** The author submits news about Bokayev; returns the admin's moderation message. */
async function submit(text: string): Promise<MessageView> {
  await say(author, "/submit Bokayev");
  const ask = await say(author, text, hasButton("sb:skip"));
  let mark = author.mark();
  await author.press(ask, "sb:skip");
  mark = await answerAnonymity(author, mark);
  const preview = await author.waitForMessage(hasButton("sb:send"), 10_000, mark);
  const adminMark = admin.mark();
  await author.press(preview, "sb:send");
  return admin.waitForMessage((m) => m.plain.includes(text.slice(0, 25)), 10_000, adminMark);
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
  fan = emu.user({ id: 301, first_name: "Follower", language_code: "ru" });
  statusFan = emu.user({ id: 302, first_name: "StatusOnly", language_code: "en" });
  author = emu.user({ id: 303, first_name: "Author", language_code: "en" });
  reader = emu.user({ id: 304, first_name: "Reader", language_code: "en" });
  await startBot();
  await say(admin, `/promote ${MOD}`);
  for (const user of [fan, statusFan]) {
    const card = await say(user, "/case Bokayev");
    const edited = user.waitForEdit(card.message_id, 10_000);
    await user.press(card, "s:maks-bokayev");
    await edited;
  }
  const list = await say(statusFan, "/subscriptions");
  const edited = statusFan.waitForEdit(list.message_id, 10_000);
  await statusFan.press(list, "sm:maks-bokayev");
  expect((await edited).plain).toContain("status changes only");
}, 120_000);

afterAll(async () => {
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

describe("typed updates", () => {
  it("a detention that changes the status reaches both followers, labelled, and the card shows the new status", async () => {
    const review = await submit("Maks Bokayev was detained again, his lawyer told reporters.");
    const fanMark = fan.mark();
    const statusMark = statusFan.mark();
    await pressEdit(admin, review, `ap:${/#(\d+)/.exec(review.plain)![1]}`);
    const id = /#(\d+)/.exec(review.plain)![1];
    const choice = await pressEdit(admin, review, `ty:${id}:detention`);
    expect(buttons(choice).map((b) => b.text)[0]).toBe("Change status to «In pre-trial detention»");
    await pressEdit(admin, review, `tys:${id}:detention:1`);
    const ru = await fan.waitForMessage(undefined, 10_000, fanMark);
    expect(ru.plain.startsWith("Задержание")).toBe(true);
    const en = await statusFan.waitForMessage(undefined, 10_000, statusMark);
    expect(en.plain).toContain("Detention");
    expect(en.plain).toContain("In prison → In pre-trial detention");
    const card = await say(reader, "/case Bokayev");
    expect(card.plain).toContain("Status: In pre-trial detention — since");
  });

  it("plain news reaches followers of all updates but not a status-only follower", async () => {
    const review = await submit("The court adjourned the appeal hearing without a decision today.");
    const id = /#(\d+)/.exec(review.plain)![1];
    const fanMark = fan.mark();
    const statusMark = statusFan.mark();
    await pressEdit(admin, review, `ap:${id}`);
    await pressEdit(admin, review, `ty:${id}:verdict`);
    expect((await fan.waitForMessage(undefined, 10_000, fanMark)).plain.startsWith("Приговор")).toBe(true);
    await sleep(2000);
    expect(statusFan.messages().filter((m) => m.seq > statusMark)).toHaveLength(0);
  });

  it("a hearing reminder is sent the day before, once, across restarts", async () => {
    const review = await submit("The next hearing was scheduled by the city court this week.");
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
    withDb((db) => db.prepare("UPDATE deliveries SET next_attempt_at = ? WHERE kind = 'reminder'").run(Date.now()));
    const reminder = await fan.waitForMessage((m) => m.plain.includes("Напоминание") || m.plain.includes("завтра"), 15_000, fanMark);
    expect(reminder.plain).toMatch(/завтра/i);
    await restart();
    await sleep(2500);
    const reminders = fan.messages().filter((m) => m.seq > fanMark && /завтра/i.test(m.plain));
    expect(reminders).toHaveLength(1);
    expect(withDb((db) => db.prepare("SELECT status FROM deliveries WHERE kind = 'reminder'").all())).toEqual([{ status: "sent" }]);
  }, 90_000);

  it("a release waits for a second moderator, then shows", async () => {
    const review = await submit("Maks Bokayev was released today after serving his term.");
    const id = /#(\d+)/.exec(review.plain)![1];
    await pressEdit(admin, review, `ap:${id}`);
    await pressEdit(admin, review, `ty:${id}:release`);
    const waiting = await pressEdit(admin, review, `tys:${id}:release:1`);
    expect(waiting.plain).toContain("A second moderator must confirm");
    expect((await say(reader, "/case Bokayev")).plain).not.toContain("Status: Released");
    // What waits is offered as any waiting change is: Confirm / Discard of a revision.
    const confirm = buttons(waiting).find((b) => b.callback_data?.startsWith("rv:"))?.callback_data;
    expect(confirm).toMatch(/^rv:\d+$/);
    const own = await admin.pressRaw(confirm!, review.message_id);
    expect(String((await admin.callbackAnswer(own, 10_000))["text"])).toContain("you approved it yourself");
    const open = await say(mod, "/queue", hasButton(confirm!));
    const confirmed = mod.waitForEdit(open.message_id, 10_000);
    await mod.press(open, confirm!);
    expect((await confirmed).plain).toContain("Approved by");
    expect((await say(reader, "/case Bokayev")).plain).toContain("Status: Released");
  });
});

describe("case administration", () => {
  it("/newcase, confirmed by a second moderator, is found by /case in Cyrillic", async () => {
    await say(mod, "/newcase", (m) => m.plain.includes("Step 1"));
    await say(mod, "Arman Testov", (m) => m.plain.includes("Step 2"));
    await say(mod, "Арман Тестов", (m) => m.plain.includes("Step 3"));
    const category = await say(mod, "Арман Тестов", hasButton("an:c:political_prisoner"));
    const role = await press(mod, category, "an:c:political_prisoner", hasButton("an:r:journalist"));
    const status = await press(mod, role, "an:r:journalist", hasButton("an:s:imprisoned"));
    const lang = await press(mod, status, "an:s:imprisoned", hasButton("an:l:ru"));
    await press(mod, lang, "an:l:ru", (m) => m.plain.includes("Step 8"));
    await say(mod, "Вымышленный журналист осуждён; запись только для проверки бота.", (m) => m.plain.includes("Step 9"));
    const preview = await say(mod, "https://example.org/testov", hasButton("an:save"));
    const adminMark = admin.mark();
    await press(mod, preview, "an:save");
    expect((await say(reader, "/case Арман Тестов")).plain).not.toContain("Arman Testov");
    const ask = await admin.waitForMessage((m) => m.plain.includes("Arman Testov"), 10_000, adminMark);
    const confirm = buttons(ask).find((b) => b.callback_data?.startsWith("rv:"))!.callback_data!;
    const q = await admin.press(ask, confirm);
    await admin.callbackAnswer(q, 10_000);
    await sleep(300);
    for (const query of ["Арман Тестов", "Testov", "Тестова"]) {
      const card = await say(reader, `/case ${query}`);
      expect(card.plain, query).toContain("Arman Testov");
      expect(card.plain, query).toContain("added by moderators");
    }
  });

  it("an edit is a revision in /history, and an admin's revert needs a second moderator", async () => {
    const fields = await say(mod, "/editcase Arman Testov", hasButton("ae:f:status"));
    const values = await press(mod, fields, "ae:f:status", hasButton("ae:v:detained"));
    // Outbox messages from the previous step (the proposer told of the confirmation) may still arrive:
    // wait for the messages this step is about.
    await press(mod, values, "ae:v:detained", (m) => m.plain.includes("What is the source"));
    const saved = await say(mod, "https://example.org/testov-detained", (m) => m.plain.includes("Saved as change"));
    const rev = Number(/#(\d+)/.exec(saved.plain)![1]);
    expect((await say(reader, "/case Arman Testov")).plain).toContain("Held in a detention facility");
    const history = await say(admin, "/history Arman Testov");
    expect(history.plain).toContain(`#${rev}`);
    expect(history.plain).toContain("In prison → Held in a detention facility");
    const proposed = await say(admin, `/revert ${rev} wrong person`, (m) => m.plain.includes("Revert proposed"));
    const revert = Number(/#(\d+)/.exec(proposed.plain)![1]);
    expect((await say(reader, "/case Arman Testov")).plain).toContain("Held in a detention facility");
    const done = await say(mod, `/confirm ${revert}`, (m) => m.plain.includes("Confirmed and applied"));
    expect(done.plain).toContain(`#${revert}`);
    expect((await say(reader, "/case Arman Testov")).plain).toContain("Status: In prison");
  });

  it("a reader is refused at every step, forged buttons included", async () => {
    for (const command of ["/newcase", "/editcase Bokayev", "/history Bokayev", "/translations", "/confirm 1", "/revert 1", "/queue", "/promote 304"]) {
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

  it("never sent Telegram anything it would reject", () => {
    expect(emu.errors.filter((e) => !e.injected).map((e) => `${e.method}: ${e.description}`)).toEqual([]);
  });
});

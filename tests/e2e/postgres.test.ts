import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator } from "../../src/emulator/index.js";
import { dropTestDatabase, POSTGRES_URL } from "../helpers/databases.js";
import { type BotProcess, startUntilLogged, stopProcess } from "../helpers/process.js";
import { answerAnonymity, approveAsOther, buttons, sleep } from "../helpers/flows.js";

/**
 * Level 3 on PostgreSQL: `npm start` and two `npm run worker` processes against one fresh PostgreSQL
 * database. The moderation flow end to end, then a 300-follower fan-out with one worker killed by
 * SIGKILL mid-way: every active follower gets the notice once (a few repeats at most) and the
 * workers together keep Telegram's 30 messages/s. Runs where TEST_POSTGRES_URL is set (.ci/run sets it).
 */
const ADMIN = 4242;
const FOLLOWERS = Array.from({ length: 300 }, (_, i) => 800_000 + i);
const BLOCKED = FOLLOWERS.filter((_, i) => i % 20 === 0);
const ACTIVE = FOLLOWERS.filter((id) => !BLOCKED.includes(id));

let emu: BotApiEmulator;
let dbUrl: string;
let dbName: string;
const procs: BotProcess[] = [];

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: POSTGRES_URL });
  await c.connect();
  await c.query(sql);
  await c.end();
}

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

function env(): Record<string, string> {
  return { BOT_TOKEN: "123456:pg-e2e", TELEGRAM_API_ROOT: emu.apiRoot, DATABASE_URL: dbUrl, ADMIN_IDS: String(ADMIN), LOG_LEVEL: "info", TELEGRAM_CHAT_GAP_MS: "0" };
}

async function start(script: "start" | "worker"): Promise<BotProcess> {
  const p = await startUntilLogged(script, env(), script === "start" ? "polling" : "worker started");
  procs.push(p);
  return p;
}

/** Submits news about a case as `authorId` and has the admin approve it; returns when approved. */
async function publish(slug: string, query: string, text: string, authorId: number): Promise<void> {
  const author = emu.user({ id: authorId, first_name: "Author", language_code: "en" });
  const boss = emu.user({ id: ADMIN, first_name: "Admin", language_code: "en" });
  let mark = author.mark();
  await author.send(`/submit ${query}`);
  await author.waitForMessage((m) => m.plain.includes("What is the news"), 10_000, mark);
  mark = author.mark();
  await author.send(text);
  const ask = await author.waitForMessage((m) => buttons(m).some((b) => b.callback_data === "sb:skip"), 10_000, mark);
  mark = author.mark();
  await author.press(ask, "Skip");
  mark = await answerAnonymity(author, mark);
  const preview = await author.waitForMessage((m) => buttons(m).some((b) => b.callback_data === "sb:send"), 10_000, mark);
  const bossMark = boss.mark();
  await author.press(preview, "Send");
  const review = await boss.waitForMessage((m) => m.plain.includes(text.slice(0, 30)), 10_000, bossMark);
  const { query: id } = await approveAsOther(boss, review);
  const answer = await boss.callbackAnswer(id, 10_000);
  expect(String(answer["text"])).toContain("Approved");
  void slug;
}

const describePg = POSTGRES_URL ? describe : describe.skip;

describePg("on PostgreSQL, with separate worker processes", () => {
  beforeAll(async () => {
    emu = await BotApiEmulator.start();
    dbName = `casebot_e2e_${randomBytes(5).toString("hex")}`;
    await admin(`CREATE DATABASE ${dbName}`);
    const url = new URL(POSTGRES_URL!);
    url.pathname = `/${dbName}`;
    dbUrl = url.href;
    await start("start");
  }, 90_000);

  afterAll(async () => {
    for (const p of procs) await stopProcess(p);
    await emu?.stop();
    if (dbName) await dropTestDatabase(dbName);
  });

  it("runs the moderation flow: subscribe, submit, approve, the follower is told", async () => {
    const reader = emu.user({ id: 9101, first_name: "Reader", language_code: "en" });
    let mark = reader.mark();
    await reader.send("/case Bokayev");
    const card = await reader.waitForMessage(undefined, 10_000, mark);
    await reader.press(card, "Subscribe");
    expect(buttons(await reader.waitForEdit(card.message_id, 10_000)).map((b) => b.text)).toContain("Unsubscribe");
    mark = reader.mark();
    await publish("maks-bokayev", "Bokayev", "The appeal hearing was moved to next week, his lawyer said.", 9102);
    const notice = await reader.waitForMessage(undefined, 15_000, mark);
    expect(notice.plain).toContain("The appeal hearing was moved");
    // The send is recorded right after Telegram's answer: a moment after the reader sees the notice.
    await expect.poll(() => query<{ status: string }>("SELECT status FROM deliveries WHERE user_id = 9101"), { timeout: 5000 }).toEqual([{ status: "sent" }]);
  }, 60_000);

  it("shares a 300-follower fan-out between workers, survives a killed worker, keeps 30/s", async () => {
    const now = new Date().toISOString();
    for (const id of FOLLOWERS) {
      await query("INSERT INTO users (telegram_id, language, role, active, created_at) VALUES ($1, 'en', 'reader', 1, $2)", [id, now]);
      await query("INSERT INTO subscriptions (user_id, case_slug, created_at) VALUES ($1, 'talgat-ayan', $2)", [id, now]);
    }
    for (const id of BLOCKED) emu.blockBot(id);
    const w1 = await start("worker");
    await start("worker");
    emu.setRateLimits({ global: 30, perChat: 1 });

    const since = emu.calls.length;
    await publish("talgat-ayan", "Talgat Ayan", "Talgat Ayan's case: news checked by a moderator for the fan-out test.", 9103);
    const delivered = () => ACTIVE.reduce((n, id) => n + (emu.sentTo(id) > 0 ? 1 : 0), 0);
    while (delivered() < 100) await sleep(50);
    w1.kill("SIGKILL");
    const t0 = Date.now();
    while (delivered() < ACTIVE.length && Date.now() - t0 < 90_000) await sleep(100);

    const sends = emu.calls.slice(since).filter((c) => c.method === "sendMessage" && c.ok && FOLLOWERS.includes(Number(c.params["chat_id"])));
    const repeats = ACTIVE.reduce((n, id) => n + Math.max(0, emu.sentTo(id) - 1), 0);
    const times = sends.map((c) => c.at).sort((a, b) => a - b);
    let peak = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    const seconds = (times.at(-1)! - times[0]!) / 1000;
    const limited = emu.calls.slice(since).filter((c) => c.method === "sendMessage" && c.status === 429).length;
    console.log(`postgres fan-out: ${sends.length} notices in ${seconds.toFixed(1)} s = ${(sends.length / seconds).toFixed(1)}/s; peak ${peak} in 1 s; repeats ${repeats}; 429 answers ${limited}`);

    expect(delivered()).toBe(ACTIVE.length);
    expect(repeats).toBeLessThanOrEqual(3);
    expect(BLOCKED.every((id) => emu.sentTo(id) === 0)).toBe(true);
    expect(peak).toBeLessThanOrEqual(30);
    const inactive = await query<{ n: string }>("SELECT COUNT(*) AS n FROM users WHERE active = 0");
    expect(Number(inactive[0]?.n)).toBe(BLOCKED.length);
  }, 180_000);
});

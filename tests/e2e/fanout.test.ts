import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator } from "../../src/emulator/index.js";
import { botEnv, type BotProcess, startPollingBot, stopProcess } from "../helpers/process.js";
import { approveAsOther, buttons, hasButton, sleep } from "../helpers/flows.js";

/**
 * Level 3: the notification fan-out of `npm start` under Telegram's limits (emulator: 30 messages/s
 * overall, 1/s per chat). 300 followers of one case, 15 of whom blocked the bot; the bot is killed
 * (SIGKILL) a third of the way through and started again. Every active follower must get the notice,
 * with at most a few repeats, none to a blocked follower, at ≥ 60 % of 30/s while the bot is up.
 */
const ADMIN_ID = 100;
const AUTHOR_ID = 4242;
const SLUG = "maks-bokayev";
const FOLLOWERS = 300;
const FIRST_FOLLOWER = 700_000;
const NEWS = "Суд над Максом Бокаевым перенесён на следующую неделю, сообщил адвокат";
const followers = Array.from({ length: FOLLOWERS }, (_, i) => FIRST_FOLLOWER + i);
const blocked = followers.filter((_, i) => i % 20 === 0); // 15 = 5 %
const active = followers.filter((id) => !blocked.includes(id));

let emu: BotApiEmulator;
let bot: BotProcess;
const dbFile = join(mkdtempSync(join(tmpdir(), "casebot-e2e-fanout-")), "bot.sqlite");
const env = () => botEnv(emu.apiRoot, dbFile, { ADMIN_IDS: String(ADMIN_ID), TELEGRAM_CHAT_GAP_MS: "1015" });

async function startBot(): Promise<number> {
  const started = await startPollingBot(env(), emu);
  bot = started.bot;
  return started.ms;
}

function withDb<T>(fn: (db: SQLite.Database) => T, readonly = true): T {
  const db = new SQLite(dbFile, { readonly, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}


beforeAll(async () => {
  emu = await BotApiEmulator.start();
  // First start: migrations and seed into a fresh file. Then the followers and a pending submission
  // are written straight into it while the bot is down, and the bot is started again.
  await startBot();
  await stopProcess(bot);
  const now = new Date().toISOString();
  withDb((db) => {
    const user = db.prepare("INSERT INTO users (telegram_id, language, role, active, created_at) VALUES (?, 'en', 'reader', 1, ?)");
    const sub = db.prepare("INSERT INTO subscriptions (user_id, case_slug, created_at) VALUES (?, ?, ?)");
    db.transaction(() => {
      for (const id of followers) {
        user.run(id, now);
        sub.run(id, SLUG, now);
      }
      db.prepare("INSERT INTO submissions (case_slug, author_id, text, source_url, lang, status, created_at) VALUES (?, ?, ?, NULL, 'ru', 'pending', ?)").run(
        SLUG,
        AUTHOR_ID,
        NEWS,
        now,
      );
    })();
  }, false);
  await startBot();
}, 120_000);

afterAll(async () => {
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

describe("fan-out of one approved update to 300 followers under Telegram's limits", () => {
  it("reaches every active follower once (almost), skips the blocked ones, survives SIGKILL, at ≥ 60 % of 30/s", async () => {
    emu.setRateLimits({ global: 30, perChat: 1 });
    for (const id of blocked) emu.blockBot(id);
    const followerSet = new Set(followers);

    // The admin approves the pending submission from /queue.
    const admin = emu.user({ id: ADMIN_ID, first_name: "Admin", language_code: "en" });
    let mark = admin.mark();
    await admin.send("/queue");
    const queue = await admin.waitForMessage((m) => buttons(m).some((b) => /^q:\d+$/.test(b.callback_data ?? "")), 10_000, mark);
    const id = Number(/^q:(\d+)$/.exec(buttons(queue)[0]?.callback_data ?? "")?.[1]);
    expect(id).toBeGreaterThan(0);
    mark = admin.mark();
    await admin.press(queue, `q:${id}`);
    const review = await admin.waitForMessage(hasButton(`ap:${id}`), 10_000, mark);
    expect(review.plain).toContain(NEWS);
    const approvedAt = Date.now();
    const { query: q } = await approveAsOther(admin, review);
    expect((await admin.callbackAnswer(q, 10_000))["text"]).toBe("Approved and published.");

    const delivered = () => followers.reduce((n, f) => n + emu.sentTo(f), 0);
    const deadline = Date.now() + 60_000;
    while (delivered() < 100) {
      if (Date.now() > deadline) throw new Error(`only ${delivered()} notices after 60 s`);
      await sleep(5);
    }
    const killedAt = Date.now();
    const atKill = delivered();
    bot.kill("SIGKILL");
    await bot.exited;
    await startBot();
    const downtimeMs = Date.now() - killedAt;

    const pending = () => withDb((db) => (db.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'pending' AND event_id IS NOT NULL").get() as { n: number }).n);
    while (active.some((f) => emu.sentTo(f) === 0) || pending() > 0) {
      if (Date.now() > deadline) {
        const missing = active.filter((f) => emu.sentTo(f) === 0);
        throw new Error(`after 60 s: ${missing.length} active followers without the notice, ${pending()} deliveries pending`);
      }
      await sleep(50);
    }
    await sleep(500); // a repeat still in flight would show up now

    const notices = emu.calls.filter((c) => c.method === "sendMessage" && c.ok && followerSet.has(Number(c.params["chat_id"])));
    const first = Math.min(...notices.map((c) => c.at));
    const last = Math.max(...notices.map((c) => c.at));
    const repeats = active.reduce((n, f) => n + Math.max(0, emu.sentTo(f) - 1), 0);
    const upSeconds = (last - first - downtimeMs) / 1000;
    const rate = notices.length / upSeconds;
    const rejected429 = emu.calls.filter((c) => c.method === "sendMessage" && c.status === 429).length;
    console.log(
      [
        `fan-out: ${notices.length} notices to ${active.length} active followers (${blocked.length} blocked)`,
        `killed after ${atKill}; downtime (SIGKILL → first poll of the new process) ${downtimeMs} ms`,
        `first notice ${first - approvedAt} ms after Approve; first → last ${last - first} ms; up ${upSeconds.toFixed(2)} s`,
        `rate ${rate.toFixed(1)}/s = ${((rate / 30) * 100).toFixed(0)} % of 30/s; repeats ${repeats}; 429 answers ${rejected429}`,
      ].join("\n"),
    );

    expect(active.filter((f) => emu.sentTo(f) < 1)).toEqual([]);
    expect(repeats).toBeLessThanOrEqual(3);
    expect(blocked.filter((f) => emu.sentTo(f) > 0)).toEqual([]);
    expect(rate).toBeGreaterThanOrEqual(0.6 * 30);

    const flags = withDb((db) => db.prepare("SELECT telegram_id, active FROM users WHERE telegram_id >= ? AND telegram_id < ?").all(FIRST_FOLLOWER, FIRST_FOLLOWER + FOLLOWERS)) as Array<{
      telegram_id: number;
      active: number;
    }>;
    expect(flags.filter((u) => u.active === 0).map((u) => u.telegram_id).sort()).toEqual([...blocked].sort());
    const outcome = withDb((db) => db.prepare("SELECT status, COUNT(*) AS n FROM deliveries WHERE event_id IS NOT NULL GROUP BY status ORDER BY status").all());
    expect(outcome).toEqual([
      { status: "blocked", n: blocked.length },
      { status: "sent", n: active.length },
    ]);
    // Nothing but the limits' own 429s and the blocked users' 403s went wrong.
    expect(emu.errors.filter((e) => !e.injected && e.status !== 429 && e.status !== 403).map((e) => `${e.method} → ${e.status} ${e.description ?? ""}`)).toEqual([]);
    expect(emu.errors.filter((e) => e.status === 403).every((e) => blocked.includes(Number(e.params["chat_id"])))).toBe(true);
  }, 120_000);
});

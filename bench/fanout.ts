/**
 * Notification fan-out under Telegram's limits (the emulator enforcing 30 messages/s overall and 1/s
 * per chat), with or without readers looking a case up every 2 s meanwhile. One published update is
 * written with a pending delivery per follower (what an approval leaves); the outbox sends them.
 *
 * - SQLite: the bot in this process (createApp + runner + its outbox worker), beside the emulator
 *   and the readers; with BENCH_SQLITE_APART=1 the bot is `npm start` in a process of its own, as
 *   in production, where Telegram's side of each message is not on the bot's CPU.
 * - PostgreSQL: `npm start` and two `npm run worker` processes on a fresh database.
 *
 * Prints each figure of issue 10 beside its target: all notified, duplicates, 429 answers, the readers'
 * p95 before and during the fan-out, the notice rate against the budget the readers leave. The
 * readers are timed before the fan-out for about as long as the fan-out is expected to last, so that
 * both p95 come from about as many lookups (a p95 of 50 lookups is their third slowest). With the bot
 * in this process it also prints what the send budget held replies back for, and this process's CPU
 * before and during the fan-out (the bot, its worker and the emulator share one event loop).
 *
 *   npx tsx bench/fanout.ts [followers] [readers] [sqlite|postgres]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { type App, createApp } from "../src/app.js";
import { BotApiEmulator } from "../src/emulator/index.js";
import { createLogger } from "../src/logger.js";
import { type DB, openDatabase } from "../src/store/db.js";
import { figure, freshPostgres, pendingCount, percentile, type Proc, seedFanout, sleep, startNpm, TELEGRAM_RATE } from "./lib.js";

const FIRST_FOLLOWER = 1_000_000;
const FIRST_READER = 9_000;
const READER_EVERY_MS = 2000;
const MIN_BASELINE_MS = 12_000;
const MAX_BASELINE_MS = 60_000;

export interface FanoutOptions {
  followers: number;
  readers: number;
  database: "sqlite" | "postgres";
  /** PostgreSQL server for database "postgres" (a fresh database is made on it). */
  postgresUrl?: string;
}

interface Sample {
  at: number;
  ms: number;
}

export async function benchFanout(o: FanoutOptions): Promise<void> {
  const apart = o.database === "sqlite" && process.env["BENCH_SQLITE_APART"] === "1";
  const where = o.database === "postgres" ? "PostgreSQL, one bot + two workers" : apart ? "SQLite, the bot in its own process" : "SQLite, the bot in the bench's process";
  const label = `${o.followers} followers, ${o.readers} readers, ${where}`;
  console.log(`--- fan-out: ${label}`);
  const dir = mkdtempSync(join(tmpdir(), "casebot-bench-fanout-"));
  const emu = await BotApiEmulator.start();
  let app: App | undefined;
  let runner: RunnerHandle | undefined;
  let db: DB | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  const procs: Proc[] = [];
  let stopReaders = false;
  try {
    if (apart) {
      const file = join(dir, "bench.sqlite");
      const env = { BOT_TOKEN: "123456:bench", TELEGRAM_API_ROOT: emu.apiRoot, DATABASE_URL: file, PORT: String(20_000 + Math.floor(Math.random() * 30_000)) };
      procs.push(await startNpm("start", env, "polling"));
      db = await openDatabase({ kind: "sqlite", file });
    } else if (o.database === "sqlite") {
      app = await createApp(
        { botToken: "123:bench", apiRoot: emu.apiRoot, database: { kind: "sqlite", file: join(dir, "bench.sqlite") }, adminIds: [] },
        createLogger("error"),
      );
      db = app.db;
      runner = run(app.bot);
      app.worker.start();
    } else {
      if (!o.postgresUrl) throw new Error("PostgreSQL fan-out needs BENCH_POSTGRES_URL or TEST_POSTGRES_URL");
      const fresh = await freshPostgres(o.postgresUrl);
      dropDb = fresh.drop;
      const env = { BOT_TOKEN: "123456:bench", TELEGRAM_API_ROOT: emu.apiRoot, DATABASE_URL: fresh.url, PORT: String(20_000 + Math.floor(Math.random() * 30_000)) };
      procs.push(await startNpm("start", env, "polling"));
      procs.push(await startNpm("worker", env, "worker started"));
      procs.push(await startNpm("worker", env, "worker started"));
      db = await openDatabase({ kind: "postgres", url: fresh.url });
    }
    await emu.waitForPoll(30_000);
    emu.setRateLimits({ global: TELEGRAM_RATE, perChat: 1 });

    const baselineStart = Date.now();
    const baselineCpuStart = process.cpuUsage();
    // Readers: each looks a case up every 2 s and times the reply.
    const samples: Sample[] = [];
    // Each reader is two people taking turns: one person looking a case up every 2 s for a minute
    // would meet the bot's limit of 20 lookups a minute, which is not what is measured here. The
    // first turn of each (a person the bot has not met) is not timed.
    const readerLoops = Array.from({ length: o.readers }, async (_, i) => {
      const people = [0, 1].map((k) => emu.user({ id: FIRST_READER + 2 * i + k, first_name: `Reader ${i}${"ab"[k]}`, language_code: "en" }));
      await sleep((i * READER_EVERY_MS) / Math.max(1, o.readers));
      for (let turn = 0; !stopReaders; turn++) {
        const user = people[turn % 2]!;
        const at = Date.now();
        const mark = user.mark();
        await user.send("/case Bokayev");
        await user.waitForMessage(undefined, 30_000, mark);
        if (turn >= people.length) samples.push({ at, ms: Date.now() - at });
        await sleep(Math.max(0, at + READER_EVERY_MS - Date.now()));
      }
    });
    // About as long as the fan-out should take at the budget the readers leave (4 replies a second),
    // after the untimed first turns.
    const expectedMs = (1000 * o.followers) / (TELEGRAM_RATE - o.readers / (READER_EVERY_MS / 1000));
    if (o.readers > 0) await sleep(2 * READER_EVERY_MS + Math.min(MAX_BASELINE_MS, Math.max(MIN_BASELINE_MS, expectedMs)));

    const cpuBefore = process.cpuUsage();
    const baselineCpu = process.cpuUsage(baselineCpuStart);
    const baselineMs = Date.now() - baselineStart;
    const heldBefore = app ? { ...app.budget.stats } : undefined;
    const callsBefore = emu.calls.length;
    const fanStart = Date.now();
    const followers = await seedFanout(db, o.followers, FIRST_FOLLOWER);
    app?.worker.wake();
    const followerSet = new Set(followers);
    const perChat = new Map<number, number>();
    let cursor = callsBefore;
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    let notices = 0;
    let r429 = 0;
    const replyTimes: number[] = [];
    const scan = () => {
      const calls = emu.calls;
      for (; cursor < calls.length; cursor++) {
        const c = calls[cursor]!;
        if (c.method !== "sendMessage") continue;
        if (c.status === 429) r429++;
        if (!c.ok) continue;
        const chat = Number(c.params["chat_id"]);
        if (!followerSet.has(chat)) {
          replyTimes.push(c.at);
          continue;
        }
        notices++;
        perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
        first = Math.min(first, c.at);
        last = Math.max(last, c.at);
      }
    };
    const timeoutMs = 120_000 + (o.followers / TELEGRAM_RATE) * 3000;
    let lastReport = Date.now();
    for (;;) {
      scan();
      if (perChat.size >= followers.length && (await pendingCount(db)) === 0) break;
      if (Date.now() - fanStart > timeoutMs) throw new Error(`timed out: ${perChat.size} of ${followers.length} followers reached`);
      if (Date.now() - lastReport >= 30_000) {
        lastReport = Date.now();
        console.log(`  … ${perChat.size}/${followers.length} reached after ${((Date.now() - fanStart) / 1000).toFixed(0)} s`);
      }
      await sleep(100);
    }
    stopReaders = true;
    await Promise.all(readerLoops);
    await sleep(500);
    scan();

    const cpuDuring = process.cpuUsage(cpuBefore);
    const duringMs = Date.now() - fanStart;
    const spanS = (last - first) / 1000;
    const rate = (notices - 1) / spanS;
    const duplicates = [...perChat.values()].reduce((s, k) => s + k - 1, 0);
    console.log(`  notices ${notices} in ${spanS.toFixed(1)} s; approval-to-first-notice ${first - fanStart} ms`);
    figure("followers notified", `${perChat.size}/${followers.length}`, `${followers.length}`, perChat.size === followers.length);
    figure("duplicates", String(duplicates), "0", duplicates === 0);
    figure("429 answers", String(r429), "≤ 5 (a handful)", r429 <= 5);
    if (app && heldBefore) {
      const n = app.budget.stats.noticesAnswered - heldBefore.noticesAnswered;
      const inFlight = (app.budget.stats.noticeInFlightMs - heldBefore.noticeInFlightMs) / Math.max(1, n);
      const slots = app.budget.opts.slots;
      console.log(
        `  a notice in flight ${inFlight.toFixed(0)} ms on average (asked to answered): ${slots} slots held ${app.budget.opts.windowMs} ms after the answer allow at most ` +
          `${((1000 * slots) / (app.budget.opts.windowMs + inFlight)).toFixed(1)}/s`,
      );
    }
    if (o.readers === 0) {
      figure("notice rate", `${rate.toFixed(1)}/s`, `≥ ${(0.95 * TELEGRAM_RATE).toFixed(1)}/s (95% of 30)`, rate >= 0.95 * TELEGRAM_RATE);
      return;
    }
    const before = samples.filter((s) => s.at < fanStart).map((s) => s.ms);
    const during = samples.filter((s) => s.at >= first && s.at <= last).map((s) => s.ms);
    const p95b = percentile(before, 0.95);
    const p95d = percentile(during, 0.95);
    const replies = replyTimes.filter((t) => t >= first && t <= last).length;
    const readerRate = replies / spanS;
    const left = TELEGRAM_RATE - readerRate;
    console.log(`  reader lookups: ${before.length} before, ${during.length} during; reader replies ${readerRate.toFixed(1)}/s during`);
    if (app && heldBefore) {
      const st = app.budget.stats;
      const cpuShare = (c: NodeJS.CpuUsage, ms: number) => `${((100 * (c.user + c.system)) / 1000 / ms).toFixed(0)}%`;
      console.log(
        `  replies the budget held back during the fan-out: ${st.repliesHeldForSlot - heldBefore.repliesHeldForSlot} for a slot, ` +
          `${st.repliesHeldForChat - heldBefore.repliesHeldForChat} for their chat (${st.repliesHeldMs - heldBefore.repliesHeldMs} ms in all) of ${st.interactive - heldBefore.interactive}`,
      );
      console.log(`  this process's CPU (bot, worker, emulator, readers): ${cpuShare(baselineCpu, baselineMs)} of a core before, ${cpuShare(cpuDuring, duringMs)} during`);
    }
    figure("readers p95 before (ms)", p95b.toFixed(0), "—", true);
    figure("readers p95 during (ms)", p95d.toFixed(0), `≤ 2× before (${(2 * p95b).toFixed(0)}) and < 300`, p95d <= 2 * p95b && p95d < 300);
    figure("notice rate / budget readers leave", `${rate.toFixed(1)}/${left.toFixed(1)} = ${((100 * rate) / left).toFixed(0)}%`, "≥ 90%", rate >= 0.9 * left);
  } finally {
    stopReaders = true;
    if (runner?.isRunning()) await runner.stop();
    await app?.close();
    if (app === undefined) await db?.destroy();
    for (const p of procs) await p.stop();
    await dropDb?.().catch(() => undefined);
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [followers = "600", readers = "8", database = "sqlite"] = process.argv.slice(2);
  benchFanout({
    followers: Number(followers),
    readers: Number(readers),
    database: database === "postgres" ? "postgres" : "sqlite",
    ...(process.env["BENCH_POSTGRES_URL"] ?? process.env["TEST_POSTGRES_URL"] ? { postgresUrl: process.env["BENCH_POSTGRES_URL"] ?? process.env["TEST_POSTGRES_URL"] } : {}),
  }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

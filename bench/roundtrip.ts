/**
 * Round-trip latency through the local Bot API emulator: the time from a user's message entering the
 * emulator's update queue to the bot's reply being recorded by the emulator, for a bare grammY bot
 * (the floor: long polling, HTTP and JSON) and for the real case bot (database, search, i18n, keyboards).
 *
 * The emulator keeps one update queue and allows one long poll at a time (a second poller gets 409), so
 * each bot gets its own emulator instance; both run in this process and are measured in alternating blocks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { Bot } from "grammy";
import { type App, createApp } from "../src/app.js";
import { BotApiEmulator, type SimUser } from "../src/emulator/index.js";
import { createLogger } from "../src/logger.js";

/** Exact Latin, Russian Cyrillic, Kazakh Cyrillic, a choice list, a typo, plain text without a command. */
const QUERIES = ["/case Bokayev", "/case Бокаев", "/case Боқаев", "/case Khrapunov", "/case Bokaye", "Жәкішев"] as const;
const WARMUP = 20;
const BLOCK = 25;
const TIMEOUT_MS = 5_000;
const TARGET_RATIO = 1.2;

interface Subject {
  name: string;
  emu: BotApiEmulator;
  user: SimUser;
  runner?: RunnerHandle;
  sent: number;
  times: number[];
  /** round-trip times by query text */
  byQuery: Map<string, number[]>;
}

async function roundTrip(s: Subject): Promise<{ text: string; ms: number }> {
  const text = QUERIES[s.sent++ % QUERIES.length]!;
  const after = s.user.mark();
  const t0 = performance.now();
  await s.user.send(text);
  await s.user.waitForMessage(undefined, TIMEOUT_MS, after);
  return { text, ms: performance.now() - t0 };
}

async function measure(s: Subject, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { text, ms } = await roundTrip(s);
    s.times.push(ms);
    let list = s.byQuery.get(text);
    if (!list) s.byQuery.set(text, (list = []));
    list.push(ms);
  }
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

function stats(times: readonly number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
  };
}

export async function benchRoundTrip(opts: { n?: number } = {}): Promise<void> {
  const n = opts.n ?? 300;
  const dir = mkdtempSync(join(tmpdir(), "casebot-bench-"));
  const emus: BotApiEmulator[] = [];
  const subjects: Subject[] = [];
  let app: App | undefined;
  try {
    // 1. Bare grammY bot on its own emulator.
    const bareEmu = await BotApiEmulator.start();
    emus.push(bareEmu);
    const bareBot = new Bot("111:bare", { client: { apiRoot: bareEmu.apiRoot } });
    bareBot.on("message", (ctx) => ctx.reply("fixed text"));
    const bare: Subject = {
      name: "bare grammY",
      emu: bareEmu,
      user: bareEmu.user({ id: 7001, first_name: "Bare", language_code: "en" }),
      sent: 0,
      times: [],
      byQuery: new Map(),
    };
    subjects.push(bare);
    bare.runner = run(bareBot);

    // 2. The real case bot on another emulator.
    const caseEmu = await BotApiEmulator.start();
    emus.push(caseEmu);
    app = await createApp(
      { botToken: "123:bench", apiRoot: caseEmu.apiRoot, database: { kind: "sqlite", file: join(dir, "bench.sqlite") }, adminIds: [] },
      createLogger("silent"),
    );
    const caseBot: Subject = {
      name: "case bot",
      emu: caseEmu,
      user: caseEmu.user({ id: 7002, first_name: "Reader", language_code: "en" }),
      sent: 0,
      times: [],
      byQuery: new Map(),
    };
    subjects.push(caseBot);
    caseBot.runner = run(app.bot);

    await Promise.all([bareEmu.waitForPoll(TIMEOUT_MS), caseEmu.waitForPoll(TIMEOUT_MS)]);

    // Warm-up, then n sequential round trips per bot in alternating blocks (the leading bot alternates too).
    for (const s of subjects) for (let i = 0; i < WARMUP; i++) await roundTrip(s);
    for (let done = 0, round = 0; done < n; done += BLOCK, round++) {
      const count = Math.min(BLOCK, n - done);
      const order = round % 2 === 0 ? [bare, caseBot] : [caseBot, bare];
      for (const s of order) await measure(s, count);
    }

    // Every message must have had exactly one reply and no API call may have failed.
    await new Promise((r) => setTimeout(r, 50));
    const problems: string[] = [];
    for (const s of subjects) {
      const replies = s.user.messages().length;
      if (replies !== s.sent) problems.push(`${s.name}: ${replies} replies to ${s.sent} messages`);
      if (s.emu.errors.length > 0) problems.push(`${s.name}: ${s.emu.errors.length} failed API calls`);
    }

    // Report
    const rows = subjects.map((s) => ({ name: s.name, ...stats(s.times) }));
    const header = ["bot", "n", "p50 ms", "p95 ms", "p99 ms", "mean ms"];
    const table = rows.map((r) => [r.name, String(r.n), ...[r.p50, r.p95, r.p99, r.mean].map((x) => x.toFixed(2))]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
    console.log(`round trip: user message → bot reply recorded by the emulator; ${WARMUP} warm-up each, blocks of ${BLOCK}, one emulator per bot`);
    console.log(line(header));
    for (const row of table) console.log(line(row));
    const byQuery = QUERIES.map((q) => `${q} ${stats(caseBot.byQuery.get(q) ?? []).p50.toFixed(2)}`).join(" | ");
    console.log(`case bot p50 by query (ms): ${byQuery}`);
    const ratio = rows[1]!.p50 / rows[0]!.p50;
    console.log(`case-bot p50 / bare p50: ${ratio.toFixed(2)}x`);
    console.log(`target (p50 within ${TARGET_RATIO}x of bare): ${ratio <= TARGET_RATIO ? "met" : "missed"}`);
    if (problems.length > 0) console.log(`warning: ${problems.join("; ")}`);
  } finally {
    await Promise.all(subjects.map((s) => (s.runner?.isRunning() ? s.runner.stop() : undefined)));
    await app?.close();
    for (const emu of emus) await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchRoundTrip().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

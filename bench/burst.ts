/**
 * Burst: 100 readers each push 10 lookups at once, against the emulator enforcing 30 messages/s and
 * 1/s per chat. The case bot (createApp, SQLite, the runner, the send budget) answers the cards; a bare
 * grammY bot (runner, auto-retry) answers a fixed text, in the same run on its own emulator. The figure:
 * replies a second, case bot against bare grammY (target ≥ 90 %).
 *
 *   npx tsx bench/burst.ts [readers] [lookups]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { autoRetry } from "@grammyjs/auto-retry";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { Bot } from "grammy";
import { type App, createApp } from "../src/app.js";
import { BotApiEmulator } from "../src/emulator/index.js";
import { createLogger } from "../src/logger.js";
import { figure, sleep, TELEGRAM_RATE } from "./lib.js";

const FIRST_READER = 20_000;

interface Result {
  replies: number;
  seconds: number;
  r429: number;
}

/** Pushes `lookups` messages from each of `readers` users at once and waits for a reply to each. */
async function burst(emu: BotApiEmulator, readers: number, lookups: number, text: string): Promise<Result> {
  emu.setRateLimits({ global: TELEGRAM_RATE, perChat: 1 });
  const users = Array.from({ length: readers }, (_, i) => emu.user({ id: FIRST_READER + i, first_name: `R${i}`, language_code: "en" }));
  const before = emu.calls.length;
  const t0 = Date.now();
  for (let k = 0; k < lookups; k++) for (const u of users) await u.send(text);
  const want = readers * lookups;
  const deadline = t0 + 60_000 + (want / TELEGRAM_RATE) * 4000;
  let got = 0;
  let lastAt = t0;
  for (;;) {
    got = 0;
    for (const u of users) got += u.messages().length;
    if (got >= want) break;
    if (Date.now() > deadline) break;
    await sleep(50);
  }
  const calls = emu.calls.slice(before).filter((c) => c.method === "sendMessage");
  for (const c of calls) if (c.ok) lastAt = Math.max(lastAt, c.at);
  // Which limit each 429 was for: a chat sent to less than a second before, or the bot as a whole.
  const lastOk = new Map<number, number>();
  let perChat429 = 0;
  for (const c of calls) {
    const chat = Number(c.params["chat_id"]);
    if (c.ok) lastOk.set(chat, c.at);
    else if (c.status === 429 && c.at - (lastOk.get(chat) ?? 0) < 1000) perChat429++;
  }
  const r429 = calls.filter((c) => c.status === 429).length;
  if (r429 > 0) console.log(`  (${perChat429} of the ${r429} answers of 429 were for a chat, the rest for the bot as a whole)`);
  return { replies: got, seconds: (lastAt - t0) / 1000, r429 };
}

export async function benchBurst(opts: { readers?: number; lookups?: number } = {}): Promise<void> {
  const readers = opts.readers ?? 100;
  const lookups = opts.lookups ?? 10;
  console.log(`--- burst: ${readers} readers × ${lookups} lookups pushed at once`);
  const dir = mkdtempSync(join(tmpdir(), "casebot-bench-burst-"));
  const emus: BotApiEmulator[] = [];
  const runners: RunnerHandle[] = [];
  let app: App | undefined;
  try {
    const bareEmu = await BotApiEmulator.start();
    emus.push(bareEmu);
    const bare = new Bot("111:bare", { client: { apiRoot: bareEmu.apiRoot } });
    bare.api.config.use(autoRetry());
    bare.on("message", (ctx) => ctx.reply("fixed text"));
    bare.catch(() => undefined);
    runners.push(run(bare));
    await bareEmu.waitForPoll(10_000);
    const b = await burst(bareEmu, readers, lookups, "hello");
    await runners[0]!.stop();

    const caseEmu = await BotApiEmulator.start();
    emus.push(caseEmu);
    app = await createApp(
      { botToken: "123:bench", apiRoot: caseEmu.apiRoot, database: { kind: "sqlite", file: join(dir, "bench.sqlite") }, adminIds: [] },
      createLogger("error"),
    );
    runners.push(run(app.bot));
    await caseEmu.waitForPoll(10_000);
    const c = await burst(caseEmu, readers, lookups, "/case Bokayev");

    const want = readers * lookups;
    const bareRate = b.replies / b.seconds;
    const caseRate = c.replies / c.seconds;
    console.log(`  bare grammY: ${b.replies}/${want} replies in ${b.seconds.toFixed(1)} s = ${bareRate.toFixed(1)}/s, ${b.r429} answers of 429`);
    console.log(`  case bot:    ${c.replies}/${want} replies in ${c.seconds.toFixed(1)} s = ${caseRate.toFixed(1)}/s, ${c.r429} answers of 429`);
    figure("burst: all answered", `${c.replies}/${want}`, String(want), c.replies === want);
    figure("burst: case bot / bare grammY", `${((100 * caseRate) / bareRate).toFixed(0)}%`, "≥ 90%", caseRate >= 0.9 * bareRate);
    figure("burst: 429 answers (case bot)", String(c.r429), "≤ 5 (a handful)", c.r429 <= 5);
  } finally {
    for (const r of runners) if (r.isRunning()) await r.stop();
    await app?.close();
    for (const e of emus) await e.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [readers, lookups] = process.argv.slice(2).map(Number);
  benchBurst({ ...(readers ? { readers } : {}), ...(lookups ? { lookups } : {}) }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

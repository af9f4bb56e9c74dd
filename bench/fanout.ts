/**
 * Notification fan-out under Telegram's limits: one update, approved by an admin through the bot,
 * reaches N followers of a case (5 % of whom blocked the bot) through the outbox worker, with the
 * emulator enforcing 30 messages/s overall and 1/s per chat. Reports the delivery rate as a fraction
 * of 30/s, repeats, the time from the approval to the first notice, and the total time.
 *
 * In-process: createApp + the runner + the outbox worker, against the Bot API emulator over HTTP.
 * At 10,000 followers and ~29/s it takes about six minutes.
 *
 *   npx tsx bench/fanout.ts [followers]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { type App, createApp } from "../src/app.js";
import { BotApiEmulator, type MessageView } from "../src/emulator/index.js";
import { approveAsOther } from "../tests/helpers/flows.js";
import { createLogger } from "../src/logger.js";

const TELEGRAM_RATE = 30;
const ADMIN_ID = 100;
const AUTHOR_ID = 4242;
const SLUG = "maks-bokayev";
const FIRST_FOLLOWER = 1_000_000;
const BLOCKED_EVERY = 20; // 5 %
const NEWS = "Суд над Максом Бокаевым перенесён на следующую неделю, сообщил адвокат";
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const buttons = (m: MessageView) =>
  ((m.reply_markup?.["inline_keyboard"] as Array<Array<{ text: string; callback_data?: string }>> | undefined) ?? []).flat();

export async function benchFanout(opts: { followers?: number } = {}): Promise<void> {
  const n = opts.followers ?? 10_000;
  if (!Number.isInteger(n) || n < 1) throw new Error(`followers must be a positive whole number, not ${n}`);
  const dir = mkdtempSync(join(tmpdir(), "casebot-bench-fanout-"));
  const emu = await BotApiEmulator.start();
  let app: App | undefined;
  let runner: RunnerHandle | undefined;
  try {
    app = await createApp(
      { botToken: "123:bench", apiRoot: emu.apiRoot, database: { kind: "sqlite", file: join(dir, "bench.sqlite") }, adminIds: [ADMIN_ID] },
      createLogger("error"),
    );
    const db = app.db;

    // N followers of one case, and a pending submission about it.
    const followers = Array.from({ length: n }, (_, i) => FIRST_FOLLOWER + i);
    const blocked = new Set(followers.filter((_, i) => i % BLOCKED_EVERY === 0));
    const active = followers.filter((id) => !blocked.has(id));
    const now = new Date().toISOString();
    const tSetup = performance.now();
    for (let i = 0; i < n; i += 500) {
      const chunk = followers.slice(i, i + 500);
      await db.insertInto("users").values(chunk.map((id) => ({ telegram_id: id, language: "en", role: "reader", active: 1, created_at: now }))).execute();
      await db.insertInto("subscriptions").values(chunk.map((id) => ({ user_id: id, case_slug: SLUG, created_at: now }))).execute();
    }
    const submitted = await app.services.moderation.submit({ caseSlug: SLUG, authorId: AUTHOR_ID, authorLang: "ru", text: NEWS, sourceUrl: null });
    if (!submitted.ok) throw new Error(`could not create the submission: ${submitted.reason}`);
    console.log(`setup: ${n} followers (${blocked.size} blocked the bot) in ${(performance.now() - tSetup).toFixed(0)} ms`);

    runner = run(app.bot);
    app.worker.start();
    await emu.waitForPoll(10_000);
    emu.setRateLimits({ global: TELEGRAM_RATE, perChat: 1 });
    for (const id of blocked) emu.blockBot(id);

    // The admin approves it from /queue.
    const admin = emu.user({ id: ADMIN_ID, first_name: "Admin", language_code: "en" });
    let mark = admin.mark();
    await admin.send("/queue");
    const queue = await admin.waitForMessage(undefined, 10_000, mark);
    mark = admin.mark();
    await admin.press(queue, `q:${submitted.id}`);
    const review = await admin.waitForMessage((m) => buttons(m).some((b) => b.callback_data === `ap:${submitted.id}`), 10_000, mark);
    const callsBefore = emu.calls.length;
    const approvedAt = Date.now();
    const { query } = await approveAsOther(admin, review);
    const answer = await admin.callbackAnswer(query, 10_000);
    if (answer["text"] !== "Approved and published.") throw new Error(`approval answered ${JSON.stringify(answer["text"])}`);

    // Follow the emulator's log: successful sendMessage calls to followers are the notices.
    const followerSet = new Set(followers);
    const perChat = new Map<number, number>();
    let cursor = callsBefore;
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    let notices = 0;
    let rejected429 = 0;
    const scan = () => {
      const calls = emu.calls;
      for (; cursor < calls.length; cursor++) {
        const c = calls[cursor]!;
        if (c.method !== "sendMessage") continue;
        const chat = Number(c.params["chat_id"]);
        if (c.status === 429) rejected429++;
        if (!c.ok || !followerSet.has(chat)) continue;
        notices++;
        perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
        first = Math.min(first, c.at);
        last = Math.max(last, c.at);
      }
    };
    const pending = async () =>
      Number((await db.selectFrom("deliveries").select((eb) => eb.fn.countAll().as("n")).where("status", "=", "pending").executeTakeFirstOrThrow()).n);
    const timeoutMs = 60_000 + (n / TELEGRAM_RATE) * 2000;
    let lastReport = Date.now();
    for (;;) {
      scan();
      if (perChat.size >= active.length && (await pending()) === 0) break;
      if (Date.now() - approvedAt > timeoutMs) throw new Error(`timed out: ${perChat.size} of ${active.length} active followers reached`);
      if (Date.now() - lastReport >= 30_000) {
        lastReport = Date.now();
        console.log(`  … ${perChat.size}/${active.length} reached after ${((Date.now() - approvedAt) / 1000).toFixed(0)} s`);
      }
      await sleep(100);
    }
    await sleep(500); // a repeat still in flight would show up now
    scan();

    const repeats = [...perChat.values()].reduce((sum, k) => sum + (k - 1), 0);
    const toBlocked = [...perChat.keys()].filter((id) => blocked.has(id)).length;
    const spanS = (last - first) / 1000;
    const rate = notices / spanS;
    const inactive = await db.selectFrom("users").select("telegram_id").where("active", "=", 0).execute();
    const blockedMarked = inactive.filter((u) => blocked.has(Number(u.telegram_id))).length;
    const missing = active.length - [...perChat.keys()].filter((id) => !blocked.has(id)).length;

    console.log(`followers: ${n} (${active.length} active, ${blocked.size} blocked); limits ${TELEGRAM_RATE}/s overall, 1/s per chat`);
    console.log(`notices delivered: ${notices}; active followers missed: ${missing}; sent to blocked: ${toBlocked}`);
    console.log(`rate: ${rate.toFixed(1)} messages/s = ${(rate / TELEGRAM_RATE).toFixed(3)} of ${TELEGRAM_RATE}/s (first → last notice ${spanS.toFixed(1)} s)`);
    console.log(`duplicates: ${repeats}`);
    console.log(`approval → first notice: ${first - approvedAt} ms`);
    console.log(`total (approval → last notice): ${((last - approvedAt) / 1000).toFixed(1)} s`);
    console.log(`429 answers: ${rejected429}; blocked followers marked inactive: ${blockedMarked}/${blocked.size}`);
    const problems = [
      missing > 0 ? `${missing} active followers missed` : "",
      toBlocked > 0 ? `${toBlocked} notices to blocked followers` : "",
      blockedMarked !== blocked.size ? `${blocked.size - blockedMarked} blocked followers not marked inactive` : "",
    ].filter(Boolean);
    if (problems.length > 0) console.log(`warning: ${problems.join("; ")}`);
  } finally {
    if (runner?.isRunning()) await runner.stop();
    await app?.close();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv[2];
  benchFanout(arg === undefined ? {} : { followers: Number(arg) }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator } from "../../src/emulator/index.js";
import { type BotProcess, startNpm, stopProcess } from "../helpers/process.js";
import { answerAnonymity } from "../helpers/flows.js";
import { freePort } from "../helpers/ports.js";

/** Webhook mode: the emulator POSTs updates to the bot's HTTP server, with the secret token header. */
let emu: BotApiEmulator;
let bot: BotProcess;
let port: number;
const SECRET = "e2e-webhook-secret-0123456789abcdef";


beforeAll(async () => {
  emu = await BotApiEmulator.start();
  port = await freePort();
  const dbFile = join(mkdtempSync(join(tmpdir(), "casebot-wh-")), "bot.sqlite");
  bot = startNpm("start", {
    BOT_TOKEN: "123456:webhook",
    TELEGRAM_API_ROOT: emu.apiRoot,
    DATABASE_URL: dbFile,
    ADMIN_IDS: "4242",
    WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`,
    WEBHOOK_SECRET: SECRET,
    PORT: String(port),
  });
  const t0 = Date.now();
  while (!bot.stderr().includes('"msg":"webhook"')) {
    if (bot.child.exitCode !== null || Date.now() - t0 > 60_000) throw new Error(`bot did not start: ${bot.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}, 90_000);

afterAll(async () => {
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

describe("webhook mode", () => {
  it("registers its webhook with the secret token", () => {
    const call = emu.calls.find((c) => c.method === "setWebhook");
    expect(call?.params["url"]).toBe(`http://127.0.0.1:${port}/telegram/hook`);
    expect(call?.params["secret_token"]).toBe(SECRET);
  });

  it("answers lookups delivered by webhook", async () => {
    const reader = emu.user({ id: 7001, first_name: "Reader", language_code: "ru" });
    const mark = reader.mark();
    await reader.send("/case Бокаев");
    const card = await reader.waitForMessage(undefined, 10_000, mark);
    expect(card.plain).toContain("Макс Бокаев");
  });

  it("runs the submission conversation over webhook", async () => {
    const author = emu.user({ id: 7002, first_name: "Author", language_code: "en" });
    const admin = emu.user({ id: 4242, first_name: "Admin", language_code: "en" });
    let mark = author.mark();
    await author.send("/submit Bokayev");
    await author.waitForMessage((m) => m.plain.includes("What is the news"), 10_000, mark);
    mark = author.mark();
    await author.send("A hearing took place today, according to his lawyer.");
    const ask = await author.waitForMessage((m) => m.plain.includes("source"), 10_000, mark);
    mark = author.mark();
    await author.press(ask, "Skip");
    mark = await answerAnonymity(author, mark);
    const preview = await author.waitForMessage((m) => m.plain.includes("Send it to the moderators"), 10_000, mark);
    const adminMark = admin.mark();
    mark = author.mark();
    await author.press(preview, "Send");
    const review = await admin.waitForMessage((m) => m.plain.includes("New submission"), 10_000, adminMark);
    expect(review.plain).toContain("A hearing took place today");
    await author.waitForMessage((m) => m.plain.includes("moderator will review"), 10_000, mark);
  });

  it("refuses a POST without the secret token and changes nothing", async () => {
    const before = emu.calls.filter((c) => c.method === "sendMessage").length;
    const forged = {
      update_id: 999_999,
      message: { message_id: 1, date: 0, chat: { id: 7003, type: "private" }, from: { id: 7003, is_bot: false, first_name: "X" }, text: "/case Bokayev", entities: [{ type: "bot_command", offset: 0, length: 5 }] },
    };
    const attempts: Array<Record<string, string>> = [{}, { "X-Telegram-Bot-Api-Secret-Token": "wrong" }];
    for (const headers of attempts) {
      const res = await fetch(`http://127.0.0.1:${port}/telegram/hook`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(forged),
      });
      expect(res.status).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(emu.calls.filter((c) => c.method === "sendMessage").length).toBe(before);
  });

  it("answers /healthz while the database answers", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  });
});

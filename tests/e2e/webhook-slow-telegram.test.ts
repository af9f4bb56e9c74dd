import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator } from "../../src/emulator/index.js";
import { type BotProcess, botEnv, startUntilLogged, stopProcess } from "../helpers/process.js";
import { freePort } from "../helpers/web.js";

/**
 * Webhook mode under a slow or refusing Telegram. grammY's webhook handler used to throw after 10 s
 * and nothing caught it: one reply delayed by two 429s (retry_after 7) ended the process. The
 * emulator delivers like Telegram: one POST at a time, given up after 10 s and recorded in
 * getWebhookInfo's last_error.
 */
let emu: BotApiEmulator;
let bot: BotProcess;
let port: number;
const SECRET = "slow-telegram-webhook-secret-0123456789";

beforeAll(async () => {
  emu = await BotApiEmulator.start();
  port = await freePort();
  const dbFile = join(mkdtempSync(join(tmpdir(), "casebot-whslow-")), "bot.sqlite");
  bot = await startUntilLogged(
    "start",
    botEnv(emu.apiRoot, dbFile, { WEBHOOK_URL: `http://127.0.0.1:${port}/tg`, WEBHOOK_SECRET: SECRET, PORT: String(port) }),
    "webhook",
  );
}, 90_000);

afterAll(async () => {
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

async function webhookError(): Promise<unknown> {
  const res = await fetch(`${emu.apiRoot}/bot123456:e2e-token/getWebhookInfo`);
  const body = (await res.json()) as { result: Record<string, unknown> };
  return body.result["last_error_message"];
}

describe("webhook mode with a slow Telegram", () => {
  it("survives two 429s with retry_after 7 in front of a reply, and answers in the end", async () => {
    emu.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } }, 2);
    const reader = emu.user({ id: 8101, first_name: "Reader", language_code: "en" });
    const mark = reader.mark();
    const t0 = Date.now();
    await reader.send("/case Bokayev");
    // While the reply waits out the 429s, the web and the webhook keep answering at once.
    await new Promise((r) => setTimeout(r, 11_000));
    expect(bot.child.exitCode).toBeNull();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const card = await reader.waitForMessage((m) => m.plain.includes("Bokayev"), 30_000, mark);
    expect(card.plain).toContain("Maks Bokayev");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(14_000);
    expect(bot.child.exitCode).toBeNull();
    expect(await webhookError()).toBeUndefined();
  }, 60_000);

  it("answers 20 lookups sent at once by one reader while Telegram allows 1 message a second in a chat", async () => {
    emu.setRateLimits({ perChat: 1 });
    try {
      const reader = emu.user({ id: 8102, first_name: "Hasty", language_code: "ru" });
      const names = ["Бокаев", "Атабек", "Аблязов", "Ахметова", "Мамай"];
      await Promise.all(Array.from({ length: 20 }, (_, i) => reader.send(`/case ${names[i % names.length]}`)));
      const t0 = Date.now();
      while (reader.messages().length < 20 && Date.now() - t0 < 100_000) {
        expect(bot.child.exitCode).toBeNull();
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(reader.messages()).toHaveLength(20);
      expect(bot.child.exitCode).toBeNull();
      expect(await webhookError()).toBeUndefined();
    } finally {
      emu.setRateLimits({});
    }
  }, 150_000);
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator } from "../../src/emulator/index.js";
import { botEnv, type BotProcess, startNpm, startPollingBot, stopProcess } from "../helpers/process.js";

/**
 * Level 3: `npm start` as a real process against the project's Bot API emulator over HTTP on
 * 127.0.0.1, with simulated readers typing and pressing buttons.
 */
let emu: BotApiEmulator;
let bot: BotProcess;
const dbFile = join(mkdtempSync(join(tmpdir(), "casebot-e2e-")), "bot.sqlite");
const env = () => botEnv(emu.apiRoot, dbFile);

async function startBot(): Promise<number> {
  const started = await startPollingBot(env(), emu);
  bot = started.bot;
  return started.ms;
}

beforeAll(async () => {
  emu = await BotApiEmulator.start();
  const ms = await startBot();
  console.log(`npm start → first getUpdates: ${ms} ms`);
}, 90_000);

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

describe("the bot as a process", () => {
  it("answers /case Бокаев with the card, in Russian for a Russian-speaking reader", async () => {
    const reader = emu.user({ id: 9001, first_name: "Айгуль", language_code: "ru" });
    const mark = reader.mark();
    await reader.send("/case Бокаев");
    const card = await reader.waitForMessage(undefined, 10_000, mark);
    expect(card.plain).toContain("Макс Бокаев");
    expect(card.plain).toMatch(/доклад/i);
    expect(card.parse_mode).toBe("HTML");
  });

  it("walks from a shared surname to a card and its timeline by buttons", async () => {
    const reader = emu.user({ id: 9002, first_name: "Dana", language_code: "en" });
    let mark = reader.mark();
    await reader.send("Khrapunov");
    const choice = await reader.waitForMessage(undefined, 10_000, mark);
    expect(choice.plain).toContain("Several people match");
    await reader.press(choice, "c:leila-khrapunova");
    const card = await reader.waitForEdit(choice.message_id, 10_000);
    expect(card.plain).toContain("Leila Khrapunova");
    expect(card.plain).toContain("This is what a report of December 2017 said.");
    await reader.press(card.message_id, "Timeline");
    const timeline = await reader.waitForEdit(choice.message_id, 10_000);
    expect(timeline.plain).toContain("Timeline: Leila Khrapunova");
    mark = reader.mark();
    await reader.send("/case Zhanara Akhmetova");
    expect((await reader.waitForMessage(undefined, 10_000, mark)).plain).toContain("November 2017");
  });

  it("switches language with /language and keeps it across a restart", async () => {
    const reader = emu.user({ id: 9003, first_name: "Ерлан", language_code: "en" });
    let mark = reader.mark();
    await reader.send("/language");
    const menu = await reader.waitForMessage(undefined, 10_000, mark);
    await reader.press(menu, "Қазақша");
    await reader.waitForEdit(menu.message_id, 10_000);

    await stopProcess(bot);
    expect(bot.stderr()).toContain('"msg":"shutting down"');
    expect(bot.stderr()).toContain('"msg":"stopped"');
    await startBot();
    expect(bot.stderr()).toContain("seed data unchanged");

    mark = reader.mark();
    await reader.send("/case Ayan");
    const card = await reader.waitForMessage(undefined, 10_000, mark);
    expect(card.plain).toContain("Талғат Аян");
  }, 90_000);

  it("offers the card in inline mode and answers hostile text without breaking", async () => {
    const reader = emu.user({ id: 9004, first_name: "J", language_code: "en" });
    const qid = await reader.inline("Боқаев");
    const answer = await reader.inlineAnswer(qid, 10_000);
    const results = answer["results"] as Array<{ title: string }>;
    expect(results[0]?.title).toBe("Maks Bokayev");
    for (const text of ["<script>alert(1)</script>", "x".repeat(5000), "'; DROP TABLE cases; --"]) {
      const mark = reader.mark();
      await reader.send(text);
      await reader.waitForMessage(undefined, 10_000, mark);
    }
    const mark = reader.mark();
    await reader.send("/case Bokayev");
    expect((await reader.waitForMessage(undefined, 10_000, mark)).plain).toContain("Maks Bokayev");
  });

});

describe("start-up errors", () => {
  it("without BOT_TOKEN exits at once with one line naming it", async () => {
    const p = startNpm("start", { DATABASE_URL: dbFile });
    const code = await p.exited;
    expect(code).toBe(1);
    const lines = p.stderr().trim().split("\n").filter((l) => !l.startsWith("npm "));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/BOT_TOKEN/);
    expect(lines[0]).toMatch(/BotFather/);
  }, 30_000);

  it("with a malformed ADMIN_IDS names that variable", async () => {
    const p = startNpm("start", { BOT_TOKEN: "1:x", ADMIN_IDS: "12,abc", DATABASE_URL: dbFile });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/^Configuration error: ADMIN_IDS/m);
  }, 30_000);
});

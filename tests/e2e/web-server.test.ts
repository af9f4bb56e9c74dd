import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator } from "../../src/emulator/index.js";
import { type BotProcess, botEnv, startPollingBot, startUntilLogged, stopProcess } from "../helpers/process.js";
import { freePort } from "../helpers/web.js";

/** `npm start` serves the web next to the polling bot; `npm run web` serves it alone on the same data. */
let emu: BotApiEmulator;
let bot: BotProcess;
let web: BotProcess | undefined;
let botPort: number;
let dbFile: string;

beforeAll(async () => {
  emu = await BotApiEmulator.start();
  botPort = await freePort();
  dbFile = join(mkdtempSync(join(tmpdir(), "casebot-web-")), "bot.sqlite");
  ({ bot } = await startPollingBot(botEnv(emu.apiRoot, dbFile, { PORT: String(botPort) }), emu));
}, 90_000);

afterAll(async () => {
  if (web) await stopProcess(web);
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

describe("one HTTP server", () => {
  it("npm start in polling mode serves the pages and /healthz on PORT while the bot answers", async () => {
    const home = await fetch(`http://127.0.0.1:${botPort}/`, { headers: { "accept-language": "ru-RU,ru;q=0.9,en;q=0.5" } });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain("Политзаключённые");
    expect((await fetch(`http://127.0.0.1:${botPort}/healthz`)).status).toBe(200);
    const reader = emu.user({ id: 8201, first_name: "R", language_code: "en" });
    const mark = reader.mark();
    await reader.send("/case Bokayev");
    expect((await reader.waitForMessage(undefined, 10_000, mark)).plain).toContain("Bokayev");
  });

  it("npm run web serves the same data alone, with no worker to report", async () => {
    const port = await freePort();
    web = await startUntilLogged("web", botEnv(emu.apiRoot, dbFile, { PORT: String(port), PUBLIC_URL: "https://cases.example.org" }), "web");
    const home = await fetch(`http://127.0.0.1:${port}/?lang=kk`);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<html lang="kk">');
    expect(html).toContain('href="https://cases.example.org/?lang=kk"');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, checks: { database: true } });
  });

  it("a bad PUBLIC_URL stops start-up with one line naming it", async () => {
    const port = await freePort();
    await expect(startUntilLogged("web", botEnv(emu.apiRoot, dbFile, { PORT: String(port), PUBLIC_URL: "cases.example.org" }), "web")).rejects.toThrow(
      /Configuration error: PUBLIC_URL/,
    );
  });
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator, type MessageView, type SimUser } from "../../src/emulator/index.js";
import { sleep, submitNews } from "../helpers/flows.js";
import { type BotProcess, botEnv, startPollingBot, startUntilLogged, stopProcess } from "../helpers/process.js";
import { freePort } from "../helpers/web.js";

/**
 * `npm start` serves the web next to the polling bot; `npm run web` serves it alone on the same data,
 * and shows a moderator's decision taken in the bot's process within seconds.
 */
const ADMIN = 100;
let emu: BotApiEmulator;
let bot: BotProcess;
let web: BotProcess;
let botPort: number;
let webPort: number;
let dbFile: string;

beforeAll(async () => {
  emu = await BotApiEmulator.start();
  botPort = await freePort();
  dbFile = join(mkdtempSync(join(tmpdir(), "casebot-web-")), "bot.sqlite");
  ({ bot } = await startPollingBot(botEnv(emu.apiRoot, dbFile, { PORT: String(botPort), ADMIN_IDS: String(ADMIN) }), emu));
  webPort = await freePort();
  web = await startUntilLogged("web", botEnv(emu.apiRoot, dbFile, { PORT: String(webPort), PUBLIC_URL: "https://cases.example.org" }), "web");
}, 120_000);

afterAll(async () => {
  if (web) await stopProcess(web);
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

const fromWeb = (path: string) => fetch(`http://127.0.0.1:${webPort}${path}`);

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
    const home = await fromWeb("/?lang=kk");
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<html lang="kk">');
    expect(html).toContain('href="https://cases.example.org/?lang=kk"');
    const health = await fromWeb("/healthz");
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

describe("moderators' changes reach the web's own process", () => {
  const NEWS = "The appeal hearing of Maks Bokayev was postponed to January, the court said.";

  async function pressEdit(user: SimUser, message: MessageView, data: string): Promise<MessageView> {
    const edited = user.waitForEdit(message.message_id, 10_000);
    await user.press(message, data);
    return edited;
  }

  it("an update approved in the bot shows on npm run web's card, start page, feed, API and CSV within seconds", async () => {
    // The web process has rendered the card (and keeps it) before anything changes.
    const before = await (await fromWeb("/cases/maks-bokayev?lang=en")).text();
    expect(before).toContain("<h1>Maks Bokayev</h1>");
    expect(before).not.toContain(NEWS);

    const admin = emu.user({ id: ADMIN, first_name: "Admin", language_code: "en" });
    const author = emu.user({ id: 8202, first_name: "Author", language_code: "en" });
    const review = await submitNews(author, admin, "Bokayev", NEWS);
    const id = /#(\d+)/.exec(review.plain)![1];
    await pressEdit(admin, review, `ap:${id}`);
    await pressEdit(admin, review, `ty:${id}:other`);
    const approvedAt = Date.now();

    // The web process has no bot and no updates: only its revision watch can tell it.
    let seenAfter = -1;
    while (Date.now() - approvedAt < 15_000) {
      if ((await (await fromWeb("/cases/maks-bokayev?lang=en")).text()).includes(NEWS)) {
        seenAfter = Date.now() - approvedAt;
        break;
      }
      await sleep(200);
    }
    expect(seenAfter, "ms until the web's card showed the approved update").toBeGreaterThanOrEqual(0);
    expect(seenAfter).toBeLessThan(10_000);

    expect(await (await fromWeb("/?lang=en")).text()).toContain(NEWS);
    expect(await (await fromWeb("/feeds/cases/maks-bokayev.atom?lang=en")).text()).toContain(NEWS);
    const api = (await (await fromWeb("/api/v1/cases/maks-bokayev")).json()) as { data: { events: Array<{ origin: string; text: { en: string | null } }> } };
    expect(api.data.events.filter((e) => e.origin === "update").map((e) => e.text.en)).toContain(NEWS);
    const rows = parse(await (await fromWeb("/api/v1/export.csv")).text(), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.find((r) => r["slug"] === "maks-bokayev")?.["approved_updates"]).toBe("1");
  }, 60_000);
});

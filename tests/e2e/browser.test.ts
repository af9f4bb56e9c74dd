import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "@telegram-apps/init-data-node";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator } from "../../src/emulator/index.js";
import { artifact, haveChromium, launchChromium } from "../helpers/browser.js";
import { type BotProcess, botEnv, startPollingBot, stopProcess } from "../helpers/process.js";
import { freePort } from "../helpers/web.js";

/**
 * The web in a real browser (Debian's headless Chromium through playwright-core), served by `npm start`
 * next to the bot: search and read a card in Kazakh then English, the choice for three Khrapunovs, and
 * the Mini App following a case that the bot's /subscriptions then lists. Screenshots go to
 * test-artifacts/.
 */
const TOKEN = "123456:e2e-token";
let emu: BotApiEmulator;
let bot: BotProcess;
let browser: Browser;
let base: string;

beforeAll(async () => {
  emu = await BotApiEmulator.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const dbFile = join(mkdtempSync(join(tmpdir(), "casebot-browser-")), "bot.sqlite");
  ({ bot } = await startPollingBot(botEnv(emu.apiRoot, dbFile, { PORT: String(port), PUBLIC_URL: base }), emu));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

/** A phone-sized page that records anything the CSP blocks, any script error and any failed request. */
async function phonePage(problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 1 });
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico") && !r.url().includes("/app/api/")) problems.push(`${r.status()} ${r.url()}`);
  });
  return page;
}

describe.skipIf(!haveChromium)("the web in Chromium", () => {
  it("home page in each language (screenshots)", async () => {
    const problems: string[] = [];
    const page = await phonePage(problems);
    for (const [lang, heading] of [
      ["en", "Kazakhstan: political prosecution cases"],
      ["ru", "Казахстан: политические преследования"],
      ["kk", "Қазақстан: саяси қудалау істері"],
    ] as const) {
      await page.goto(`${base}/?lang=${lang}`);
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(heading);
      await page.screenshot({ path: artifact(`home-${lang}.png`), fullPage: true });
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("type Боқаев, pick the result, read the card in Kazakh, switch to English (screenshots)", async () => {
    const problems: string[] = [];
    const page = await phonePage(problems);
    await page.goto(`${base}/?lang=kk`);
    await page.getByLabel("Адамды табу").fill("Боқаев");
    await page.getByRole("button", { name: "Іздеу" }).click();
    await page.waitForLoadState();
    // One person matches: the search opens the card; were there a choice, the reader would pick him.
    if (!page.url().includes("/cases/")) await page.getByRole("link", { name: "Макс Боқаев" }).click();
    await page.waitForURL(/\/cases\/maks-bokayev\?lang=kk$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Макс Боқаев");
    const kkText = await page.locator("main").innerText();
    expect(kkText).toContain("Саяси тұтқын");
    expect(kkText).toContain("Telegram-да бақылау");
    await page.screenshot({ path: artifact("card-kk.png"), fullPage: true });

    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(/\/cases\/maks-bokayev\?lang=en$/);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Maks Bokayev");
    expect(await page.locator("main").innerText()).toContain("Political prisoner");
    await page.screenshot({ path: artifact("card-en.png"), fullPage: true });

    // The choice is remembered: the start page now opens in English without ?lang.
    await page.goto(`${base}/`);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.goto(`${base}/cases/maks-bokayev?lang=ru`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Макс Бокаев");
    await page.screenshot({ path: artifact("card-ru.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("a search with three matches (Khrapunov) shows the choice", async () => {
    const problems: string[] = [];
    const page = await phonePage(problems);
    await page.goto(`${base}/?lang=en`);
    await page.getByLabel("Find a person").fill("Khrapunov");
    await page.getByLabel("Find a person").press("Enter");
    await page.waitForURL(/\/search\?/);
    const results = page.locator("ul.results a");
    expect(await results.allTextContents()).toEqual(expect.arrayContaining(["Viktor Khrapunov", "Leila Khrapunova", "Ilyas Khrapunov"]));
    expect(await results.count()).toBe(3);
    await page.screenshot({ path: artifact("search-choice-en.png"), fullPage: true });
    await page.getByRole("link", { name: "Leila Khrapunova" }).click();
    await page.waitForURL(/\/cases\/leila-khrapunova/);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  /** Opens a page as Telegram opens a Mini App: initData and theme in the URL's hash, events to the client recorded. */
  async function miniApp(path: string, initData: string, events: string[], problems: string[]): Promise<Page> {
    const page = await phonePage(problems);
    await page.exposeFunction("__recordTelegramEvent", (name: string, data: string | undefined) => events.push(data ? `${name} ${data}` : name));
    // Telegram's clients receive the page's events through this object; here they are recorded.
    await page.addInitScript({ content: "window.TelegramWebviewProxy = { postEvent: (name, data) => window.__recordTelegramEvent(name, data) };" });
    const theme = JSON.stringify({ bg_color: "#1c1c1d", text_color: "#f5f5f5", hint_color: "#a0a0a0", link_color: "#6ab3f3", button_color: "#3e88c7", button_text_color: "#ffffff" });
    const hash = new URLSearchParams({ tgWebAppData: initData, tgWebAppVersion: "8.0", tgWebAppPlatform: "android", tgWebAppThemeParams: theme });
    await page.goto(`${base}${path}#${hash.toString()}`);
    return page;
  }

  it("the Mini App with valid initData follows a case, and the bot's /subscriptions lists it", async () => {
    const problems: string[] = [];
    const events: string[] = [];
    const userId = 8301;
    const initData = sign({ user: { id: userId, first_name: "Mini", language_code: "en" } } as never, TOKEN, new Date());
    const page = await miniApp("/app/cases/maks-bokayev?lang=en", initData, events, problems);
    // Telegram's theme colours, and its back button shown on a page below the start page.
    await expect.poll(() => page.evaluate<string>("getComputedStyle(document.body).backgroundColor")).toBe("rgb(28, 28, 29)");
    await expect.poll(() => events).toContain('web_app_setup_back_button {"is_visible":true}');
    const button = page.locator("#follow-button");
    await expect.poll(() => button.textContent()).toBe("Subscribe");
    await page.screenshot({ path: artifact("miniapp-card-en.png"), fullPage: true });
    const answer = page.waitForResponse((r) => r.url().endsWith("/app/api/follow"));
    await button.click();
    expect((await answer).status()).toBe(200);
    await expect.poll(() => button.textContent()).toBe("Unsubscribe");
    expect(await page.locator("#follow-status").textContent()).toContain("You follow this case");

    const reader = emu.user({ id: userId, first_name: "Mini", language_code: "en" });
    const mark = reader.mark();
    await reader.send("/subscriptions");
    const list = await reader.waitForMessage(undefined, 10_000, mark);
    expect(list.plain).toContain("Cases you follow");
    expect(list.plain).toContain("Maks Bokayev");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("the Mini App's back button: hidden on the start page, shown below it, and pressing it goes back", async () => {
    const problems: string[] = [];
    const events: string[] = [];
    const initData = sign({ user: { id: 8303, first_name: "Back", language_code: "ru" } } as never, TOKEN, new Date());
    const page = await miniApp("/app?lang=ru", initData, events, problems);
    await expect.poll(() => events).toContain('web_app_setup_back_button {"is_visible":false}');
    await page.getByRole("link", { name: "Политзаключённые" }).click();
    await page.waitForURL(/\/app\/categories\/political_prisoner\?lang=ru$/);
    await expect.poll(() => events).toContain('web_app_setup_back_button {"is_visible":true}');
    // Telegram tells the page its back button was pressed. The event is raised from a timer so that the
    // evaluation has answered before the page goes back (going back within it destroys its context).
    const back = page.waitForURL(/\/app\?lang=ru(#.*)?$/);
    await page.evaluate("setTimeout(() => window.Telegram.WebView.receiveEvent('back_button_pressed'), 0)");
    await back;
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Казахстан: политические преследования");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("the Mini App with forged or stale initData is refused and nothing changes", async () => {
    const problems: string[] = [];
    const events: string[] = [];
    const userId = 8302;
    const forged = sign({ user: { id: userId, first_name: "Forger", language_code: "en" } } as never, "654321:not-the-bots-token", new Date());
    const page = await miniApp("/app/cases/maks-bokayev?lang=en", forged, events, problems);
    const refused = await page.waitForResponse((r) => r.url().endsWith("/app/api/following"));
    expect(refused.status()).toBe(401);
    await expect.poll(() => page.locator("#follow").getAttribute("data-state")).toBe("failed");
    // Pressing anyway (the button is hidden until the server answers) is refused too.
    const status = await page.evaluate(async (data) => {
      const res = await fetch("/app/api/follow", { method: "POST", headers: { "content-type": "application/json", authorization: `tma ${data}` }, body: JSON.stringify({ slug: "maks-bokayev", follow: true }) });
      return res.status;
    }, forged);
    expect(status).toBe(401);
    // Signed with the bot's own token, but two hours ago: stale, refused the same way.
    const stale = sign({ user: { id: userId, first_name: "Forger", language_code: "en" } } as never, TOKEN, new Date(Date.now() - 2 * 3600_000));
    const staleStatus = await page.evaluate(async (data) => {
      const res = await fetch("/app/api/follow", { method: "POST", headers: { "content-type": "application/json", authorization: `tma ${data}` }, body: JSON.stringify({ slug: "maks-bokayev", follow: true }) });
      return res.status;
    }, stale);
    expect(staleStatus).toBe(401);
    const reader = emu.user({ id: userId, first_name: "Forger", language_code: "en" });
    const mark = reader.mark();
    await reader.send("/subscriptions");
    expect((await reader.waitForMessage(undefined, 10_000, mark)).plain).toContain("You follow no cases yet");
    await page.close();
  }, 60_000);
});

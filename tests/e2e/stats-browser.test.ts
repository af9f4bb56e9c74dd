import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGS } from "../../src/domain/codes.js";
import { loadLocale } from "../../src/i18n.js";
import { StatsService } from "../../src/services/stats.js";
import { startWebServer, type WebServer } from "../../src/web/server.js";
import { seedPrivateRows } from "../helpers/private-rows.js";
import { artifact, haveChromium, launchChromium } from "../helpers/browser.js";
import { type TestWeb, testWeb } from "../helpers/web-app.js";

let web: TestWeb;
let server: WebServer;
let browser: Browser;
let base: string;

beforeAll(async () => {
  web = await testWeb();
  await seedPrivateRows(web.db);
  server = await startWebServer(web.app, 0, "127.0.0.1");
  base = `http://127.0.0.1:${server.port}`;
  if (haveChromium) browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await web?.close();
});

describe.skipIf(!haveChromium)("/stats in a real browser", () => {
  it.each(LANGS)("shows its three charts and the tables in %s, with nothing blocked (screenshot saved)", async (lang) => {
    const s = (loadLocale(lang) as { stats: Record<string, string> }).stats;
    const page = await browser.newPage({ viewport: { width: 412, height: 900 }, deviceScaleFactor: 1 });
    const problems: string[] = [];
    // Anything the CSP blocks, a script error, or a missing file (the browser's own favicon request aside).
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("response", (r) => {
      if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()} ${r.url()}`);
    });
    try {
      const res = await page.goto(`${base}/stats?lang=${lang}`);
      expect(res?.status()).toBe(200);
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(s["heading"]);

      // The charts: pictures with an accessible name (their title), drawn at the phone's width.
      for (const title of [s["by_category"]!, s["by_status"]!, s["by_month"]!]) {
        const chart = page.getByRole("img", { name: title });
        await expect.poll(() => chart.count()).toBe(1);
        const box = await chart.boundingBox();
        expect(box?.width, title).toBeGreaterThan(300);
        expect(box!.x + box!.width, title).toBeLessThanOrEqual(412);
      }
      // The tables: the same figures, read through their captions as a screen reader would.
      const stats = await new StatsService(web.db).get();
      const byStatus = page.getByRole("table", { name: s["by_status"]! });
      await expect.poll(() => byStatus.locator("tbody tr").count()).toBe(stats.byStatus.length);
      expect(await byStatus.locator("tfoot td").textContent()).toBe(String(stats.people));
      const months = page.getByRole("table", { name: s["by_month"]! });
      expect(await months.locator("tbody tr").count()).toBe(12);
      expect(await months.locator("tfoot td").textContent()).toBe(String(stats.updatesInMonths));

      expect(problems).toEqual([]);
      await page.screenshot({ path: artifact(`stats-${lang}.png`), fullPage: true });
    } finally {
      await page.close();
    }
  });
});

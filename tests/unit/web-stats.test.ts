import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLocale } from "../../src/i18n.js";
import { StatsService } from "../../src/services/stats.js";
import { leaks, seedPrivateRows } from "../helpers/private-rows.js";
import { type TestWeb, testWeb } from "../helpers/web-app.js";

let t: TestWeb;
let web: TestWeb["app"];
beforeAll(async () => {
  t = await testWeb();
  await seedPrivateRows(t.db);
  web = t.app;
});
afterAll(() => t.close());

const kk = (loadLocale("kk") as { stats: Record<string, string> }).stats;

/** The cells of the table whose caption is `caption`: [row label, number]. */
function table(html: string, caption: string): Array<[string, number]> {
  const start = html.indexOf(`<caption>${caption}</caption>`);
  expect(start, caption).toBeGreaterThan(0);
  const body = html.slice(start, html.indexOf("</tbody>", start));
  return [...body.matchAll(/<th scope="row">([^<]*)<\/th><td>(\d+)<\/td>/g)].map((m) => [m[1]!, Number(m[2])]);
}

describe("/stats on the web", () => {
  it("shows three charts with titles for screen readers and the same figures as tables (Kazakh)", async () => {
    const res = await web.request("/stats?lang=kk");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="kk">');
    expect(leaks(html)).toEqual([]);
    const svgs = html.match(/<svg [^>]*role="img"[^>]*>/g) ?? [];
    expect(svgs).toHaveLength(3);
    for (const id of ["chart-category", "chart-status", "chart-month"]) {
      expect(html).toContain(`aria-labelledby="${id}-title ${id}-desc"`);
      expect(html).toMatch(new RegExp(`<desc id="${id}-desc">[^<]+</desc>`));
    }
    const stats = await new StatsService(t.db).get();
    const cats = table(html, kk["by_category"]!);
    expect(cats).toContainEqual(["Саяси тұтқын", stats.byCategory.find((c) => c.key === "political_prisoner")!.count]);
    expect(cats.reduce((n, [, c]) => n + c, 0)).toBe(stats.people);
    expect(table(html, kk["by_status"]!).map(([, n]) => n)).toEqual(stats.byStatus.map((s) => s.count));
    const months = table(html, kk["by_month"]!);
    expect(months).toHaveLength(12);
    expect(months.at(-1)![1]).toBe(2); // the two approvals of the fixture, this month
    // The chart's description says the same as the table.
    expect(html).toContain(`Саяси тұтқын: ${cats.find(([l]) => l === "Саяси тұтқын")![1]}`);
  });

  it("every page links to the figures, the downloads and the feed (with feed autodiscovery)", async () => {
    const home = await (await web.request("/?lang=ru")).text();
    expect(home).toContain('<a href="/stats?lang=ru">Дела в цифрах</a>');
    expect(home).toContain('href="/api/v1/export.csv"');
    expect(home).toMatch(/<link rel="alternate" type="application\/atom\+xml" title="[^"]+" href="https:\/\/cases\.example\.org\/feeds\/updates\.atom\?lang=ru"/);
  });

  it("follows the reader's language and carries no inline script", async () => {
    const ru = await (await web.request("/stats", { headers: { "accept-language": "ru" } })).text();
    expect(ru).toContain('<html lang="ru">');
    expect(ru).toContain("<h1>Дела в цифрах</h1>");
    expect(ru).toContain("Политзаключённый");
    const en = await web.request("/stats?lang=en");
    expect(en.headers.get("content-security-policy")).toMatch(/script-src ('none'|'nonce-)/);
    expect(await en.text()).not.toMatch(/<script(?![^>]*nonce)/);
  });
});

import { readFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chartFonts, svgToPng } from "../../src/charts/png.js";
import { labelFigures, statsCharts, statsSheet, statsSummary } from "../../src/charts/stats-charts.js";
import { barChart, escapeXml } from "../../src/charts/svg.js";
import { createI18n } from "../../src/i18n.js";
import { monthKey, StatsService } from "../../src/services/stats.js";
import { insertUpdateEvent } from "../../src/store/events.js";
import { SEED_FILE } from "../../src/store/seed.js";
import type { DB } from "../../src/store/db.js";
import { DATABASES, seededDatabase, type TestDatabase } from "../helpers/databases.js";

const seed = JSON.parse(readFileSync(SEED_FILE, "utf8")) as { cases: Array<{ slug: string; category: string; status: string }> };
const NOW = new Date("2026-12-03T09:00:00.000Z");

function tally(key: "category" | "status"): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of seed.cases) m.set(c[key], (m.get(c[key]) ?? 0) + 1);
  return m;
}

async function update(db: DB, slug: string, at: string): Promise<void> {
  await insertUpdateEvent(
    db,
    { caseSlug: slug, date: at.slice(0, 10), lang: "ru", text: "Суд назначил заседание.", sourceUrl: null, type: "hearing", statusFrom: null, statusTo: null, hearingDate: null },
    at,
  );
}

describe.each(DATABASES)("statistics on $name", (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await seededDatabase(kind);
  });
  afterEach(() => t.cleanup());

  it("counts the report's people by category and by status, as the seed file has them", async () => {
    const stats = await new StatsService(t.db, () => NOW).get();
    expect(stats.people).toBe(seed.cases.length);
    const cats = tally("category");
    expect(stats.byCategory.map((c) => c.key)).toEqual(["political_prisoner", "pretrial_detention", "suspended_sentence", "under_prosecution", "psychiatric", "abroad"]);
    for (const c of stats.byCategory) expect(c.count, c.key).toBe(cats.get(c.key) ?? 0);
    expect(new Map(stats.byStatus.map((s) => [s.key, s.count]))).toEqual(tally("status"));
    // Most frequent first, for the chart.
    const counts = stats.byStatus.map((s) => s.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it("counts approved updates in the month they were approved, zeros filled, nothing before the window", async () => {
    const slug = seed.cases[0]!.slug;
    await update(t.db, slug, "2026-12-01T08:00:00.000Z");
    await update(t.db, slug, "2026-12-02T23:59:59.000Z");
    await update(t.db, slug, "2026-10-31T23:00:00.000Z");
    await update(t.db, slug, "2025-12-31T23:00:00.000Z"); // 12 months back starts in January 2026
    const stats = await new StatsService(t.db, () => NOW).get();
    expect(stats.updatesByMonth).toHaveLength(12);
    expect(stats.updatesByMonth[0]).toEqual({ key: "2026-01", count: 0 });
    expect(stats.updatesByMonth.at(-1)).toEqual({ key: "2026-12", count: 2 });
    expect(stats.updatesByMonth.find((m) => m.key === "2026-10")?.count).toBe(1);
    expect(stats.updatesInMonths).toBe(3);
    // The report's own dated events (the seed has many) are not approved updates.
    expect(stats.updatesTotal).toBe(4);
  });

  it("leaves out a new case still waiting for a second moderator, and its updates", async () => {
    const slug = seed.cases[1]!.slug;
    await update(t.db, slug, "2026-12-01T08:00:00.000Z");
    await t.db.updateTable("cases").set({ visible: 0 }).where("slug", "=", slug).execute();
    const stats = await new StatsService(t.db, () => NOW).get();
    expect(stats.people).toBe(seed.cases.length - 1);
    expect(stats.byCategory.reduce((n, c) => n + c.count, 0)).toBe(seed.cases.length - 1);
    expect(stats.updatesTotal).toBe(0);
  });
});

describe("months", () => {
  it("crosses the year boundary", () => {
    expect(monthKey(new Date("2027-02-15T00:00:00Z"), 0)).toBe("2027-02");
    expect(monthKey(new Date("2027-02-15T00:00:00Z"), 11)).toBe("2026-03");
    expect(monthKey(new Date("2027-01-31T23:59:59Z"), 1)).toBe("2026-12");
  });
});

describe("charts", () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });

  it("escape hostile labels and stay well-formed XML with a title and a description", () => {
    const evil = `</text><script>alert("x")</script> & 'Ω'\u0001`;
    const chart = barChart({ id: `c"1`, title: evil, desc: `${evil}: 3` }, [{ label: evil, value: 3 }, { label: "Zero", value: 0 }]);
    expect(XMLValidator.validate(chart.svg)).toBe(true);
    expect(chart.svg).not.toContain("<script>");
    const doc = parser.parse(chart.svg) as { svg: Record<string, unknown> };
    expect(doc.svg["role"]).toBe("img");
    expect(doc.svg["title"]).toMatchObject({ "#text": expect.stringContaining(`</text><script>alert("x")</script>`) });
    expect(escapeXml("a\u0000b")).toBe("ab");
  });

  it("label the three charts in the reader's language, with the figures in the description", async () => {
    const i18n = await createI18n();
    const stats = {
      people: 3,
      byCategory: [{ key: "political_prisoner" as const, count: 3 }],
      byStatus: [{ key: "imprisoned", count: 3 }],
      updatesByMonth: [{ key: "2026-11", count: 0 }, { key: "2026-12", count: 2 }],
      updatesInMonths: 2,
      updatesTotal: 5,
      at: NOW.toISOString(),
    };
    const kk = statsCharts(stats, i18n.t("kk"), "kk");
    expect(kk.byCategory.svg).toContain("Саяси тұтқын");
    expect(kk.byCategory.svg).toMatch(/<desc id="chart-category-desc">Саяси тұтқын: 3<\/desc>/);
    expect(kk.byStatus.svg).toContain("Түрмеде");
    expect(kk.byMonth.svg).toContain("жел.");
    for (const c of Object.values(kk)) expect(XMLValidator.validate(c.svg)).toBe(true);
    const ru = labelFigures(stats, i18n.t("ru"), "ru");
    expect(ru.byMonth.map((m) => m.label)).toEqual(["ноябрь 2026 г.", "декабрь 2026 г."]);
    expect(statsSummary(stats, i18n.t("ru"), "ru")).toBe("По состоянию на 3 декабря 2026 г.: в списке 3 человека; 2 одобренные новости за последние 2 мес. (всего 5).");
    expect(statsSummary(stats, i18n.t("en"), "en")).toBe("As of December 3, 2026: 3 people in the list; 2 approved updates in the last 2 months (5 in all).");
    expect(statsSummary(stats, i18n.t("kk"), "kk")).toBe("03.12.2026 ж. жағдай бойынша: тізімде 3 адам; соңғы 2 айда 2 мақұлданған жаңалық (барлығы 5).");
    expect(XMLValidator.validate(statsSheet(stats, i18n.t("kk"), "kk").svg)).toBe(true);
  });
});

describe("PNG", () => {
  /** Non-white pixels of a rendering: text drawn with a missing font leaves none. */
  function ink(svg: string, fontFiles: string[]): number {
    const png = new Resvg(svg, { background: "#ffffff", font: { fontFiles, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" } }).render();
    // `pixels` copies the image out of resvg at every read: once, not once a pixel (seconds on a busy machine).
    const pixels = png.pixels;
    let n = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 200) n++;
    return n;
  }
  const KAZAKH = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="28" font-size="24" font-family="DejaVu Sans">әғқңөұүһі</text></svg>`;

  it("finds a font with Cyrillic and Kazakh letters, and draws them", () => {
    const fonts = chartFonts();
    expect(fonts.some((f) => f.endsWith("DejaVuSans.ttf"))).toBe(true);
    expect(ink(KAZAKH, fonts)).toBeGreaterThan(100);
    // Without it resvg draws no text at all: the check above can fail.
    expect(ink(KAZAKH, [])).toBe(0);
  });

  it("renders the statistics sheet to a PNG twice the SVG's size", async () => {
    const i18n = await createI18n();
    const t = await seededDatabase(DATABASES[0]!);
    try {
      const stats = await new StatsService(t.db, () => NOW).get();
      const sheet = statsSheet(stats, i18n.t("kk"), "kk");
      const png = svgToPng(sheet.svg);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(png.readUInt32BE(16)).toBe(sheet.width * 2);
      expect(png.readUInt32BE(20)).toBe(sheet.height * 2);
    } finally {
      await t.cleanup();
    }
  });
});

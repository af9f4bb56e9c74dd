import type { Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { Count, Stats } from "../services/stats.js";
import { barChart, type Chart, columnChart, stack } from "./svg.js";

/** One row of a figure: its code, its label in the reader's language, and the number. */
export interface Figure {
  key: string;
  label: string;
  count: number;
}

/** The three figures of /stats, labelled in one language: the charts and the tables both read these. */
export interface StatsFigures {
  byCategory: Figure[];
  byStatus: Figure[];
  byMonth: Figure[];
}

/** Building an Intl.DateTimeFormat costs far more than using one: one per language and style. */
const formats = new Map<string, Intl.DateTimeFormat>();
function format(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(lang, { ...options, timeZone: "UTC" })));
  return f;
}

function monthDate(key: string): Date {
  const [y, m] = key.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 1));
}

/** "May 2026", "май 2026 г.", "2026 ж. мамыр": the month as the reader's language writes it. */
export function monthName(key: string, lang: Lang): string {
  return format(lang, { month: "long", year: "numeric" }).format(monthDate(key));
}

/**
 * A day for "as of" lines: "December 3, 2026", "3 декабря 2026 г.", and in Kazakh the numeric form
 * official texts use before "жағдай бойынша" ("03.12.2026 ж."), which needs no case ending.
 */
export function dayName(iso: string, lang: Lang): string {
  if (lang === "kk") {
    const d = new Date(iso);
    const two = (n: number) => String(n).padStart(2, "0");
    return `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ж.`;
  }
  return format(lang, { dateStyle: "long" }).format(new Date(iso));
}

export function labelFigures(stats: Stats, t: Translate, lang: Lang): StatsFigures {
  const label = (prefix: string) => (c: Count) => ({ key: c.key, count: c.count, label: t(`${prefix}.${c.key}`, { defaultValue: c.key }) });
  return {
    byCategory: stats.byCategory.map(label("category")),
    byStatus: stats.byStatus.map(label("status")),
    byMonth: stats.updatesByMonth.map((m) => ({ key: m.key, count: m.count, label: monthName(m.key, lang) })),
  };
}

function describe(figures: Figure[]): string {
  return figures.map((f) => `${f.label}: ${f.count}`).join("; ");
}

export interface StatsCharts {
  byCategory: Chart;
  byStatus: Chart;
  byMonth: Chart;
}

/**
 * The three charts of /stats in one language; `idPrefix` keeps ids unique where several share a page.
 * `heading: false` leaves the titles out of the pictures, for a page that shows them as headings.
 */
export function statsCharts(stats: Stats, t: Translate, lang: Lang, idPrefix = "chart", heading = true, width = 640): StatsCharts {
  const f = labelFigures(stats, t, lang);
  const short = format(lang, { month: "short" });
  const byCategoryTitle = t("stats.by_category");
  const byStatusTitle = t("stats.by_status");
  const byMonthTitle = t("stats.by_month");
  return {
    byCategory: barChart(
      { id: `${idPrefix}-category`, title: byCategoryTitle, desc: describe(f.byCategory), heading },
      f.byCategory.map((x) => ({ label: x.label, value: x.count })),
      width,
    ),
    byStatus: barChart(
      { id: `${idPrefix}-status`, title: byStatusTitle, desc: describe(f.byStatus), heading },
      f.byStatus.map((x) => ({ label: x.label, value: x.count })),
      width,
    ),
    byMonth: columnChart(
      { id: `${idPrefix}-month`, title: byMonthTitle, desc: describe(f.byMonth), heading },
      stats.updatesByMonth.map((m) => ({ label: short.format(monthDate(m.key)), sublabel: m.key.slice(0, 4), value: m.count })),
      width,
      stats.updatesInMonths === 0 ? t("stats.no_updates") : undefined,
    ),
  };
}

/** One line with the figures that matter: the bot's caption and the page's lead. */
export function statsSummary(stats: Stats, t: Translate, lang: Lang): string {
  return t("stats.summary", {
    people: t("stats.people", { count: stats.people }),
    updates: t("stats.updates", { count: stats.updatesInMonths }),
    months: stats.updatesByMonth.length,
    total: stats.updatesTotal,
    date: dayName(stats.at, lang),
  });
}

/** The three charts in one picture: what the bot sends as a photo. */
export function statsSheet(stats: Stats, t: Translate, lang: Lang): Chart {
  const c = statsCharts(stats, t, lang, "sheet");
  const f = labelFigures(stats, t, lang);
  return stack(
    { id: "sheet", title: t("stats.heading"), desc: [describe(f.byCategory), describe(f.byStatus), describe(f.byMonth)].join(". ") },
    [c.byCategory, c.byStatus, c.byMonth],
    t("stats.footer", { date: dayName(stats.at, lang) }),
  );
}

import type { Translate } from "../i18n.js";

/** Formats YYYY, YYYY-MM or YYYY-MM-DD in the reader's language; anything else is shown as it is. */
export function formatDate(t: Translate, date: string): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date);
  if (!m) return date;
  const [, year, month, day] = m;
  const monthNo = month === undefined ? NaN : Number(month);
  if (!(monthNo >= 1 && monthNo <= 12)) return t("date.year", { year });
  if (day === undefined) return t("date.month_year", { month: t(`date.month_${monthNo}`), year });
  return t("date.day_month_year", { day: Number(day), month: t(`date.month_gen_${monthNo}`), year });
}

/** "December 2017" for the report's as-of month, worded to fit "as of the … report". */
export function formatReportMonth(t: Translate, asOf: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(asOf);
  if (!m) return asOf;
  const monthNo = Number(m[2]);
  return t("date.report_month", { month: t(`date.month_${monthNo}`), year: m[1] });
}

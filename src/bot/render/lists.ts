import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { CaseBrief, StatusFreshness } from "../../domain/case.js";
import type { Category, Lang } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import type { CategoryPage } from "../../services/cases.js";
import { encode } from "../callback-data.js";
import type { Rendered } from "./card.js";
import { formatDate, formatReportMonth } from "../../wording/dates.js";
import { escapeHtml, truncate } from "./html.js";
import { displayName } from "../../wording/names.js";

/** How much of a user's query we echo back. */
const QUERY_ECHO = 60;

function personButton(t: Translate, lang: Lang, brief: CaseBrief): InlineKeyboardButton[] {
  const label = `${displayName(brief.names, lang)} — ${t(`category.${brief.category}`)}`;
  return [{ text: truncate(label, 60), callback_data: encode({ kind: "card", slug: brief.slug }) }];
}

/**
 * When a status was last confirmed, in a few words: "report of December 2017", "since 3 December
 * 2026", "checked 5 December 2026", "added 1 December 2026". The same data as the card's status line.
 */
export function lastConfirmed(t: Translate, f: StatusFreshness): string {
  if (f.reviewedAt !== null) return t("list.when_reviewed", { date: formatDate(t, f.reviewedAt.slice(0, 10)) });
  if (f.basis === "report") return t("list.when_report", { date: formatReportMonth(t, f.since) });
  if (f.basis === "added") return t("list.when_added", { date: formatDate(t, f.since.slice(0, 10)) });
  return t("list.when_since", { date: formatDate(t, f.since.slice(0, 10)) });
}

export function renderChoice(t: Translate, lang: Lang, query: string, cases: CaseBrief[]): Rendered {
  return {
    text: escapeHtml(t("case.choose", { query: truncate(query.trim(), QUERY_ECHO) })),
    keyboard: { inline_keyboard: cases.map((c) => personButton(t, lang, c)) },
  };
}

export function renderNotFound(t: Translate, lang: Lang, query: string, suggestions: CaseBrief[]): Rendered {
  const lines = [escapeHtml(t("case.not_found", { query: truncate(query.trim(), QUERY_ECHO) }))];
  lines.push(escapeHtml(suggestions.length > 0 ? t("case.suggest") : t("case.try_other")));
  return { text: lines.join("\n"), keyboard: { inline_keyboard: suggestions.map((c) => personButton(t, lang, c)) } };
}

export function renderCategories(
  t: Translate,
  counts: Array<{ category: Category; count: number }>,
  reportAsOf: string | undefined,
): Rendered {
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) return { text: escapeHtml(t("list.empty")), keyboard: { inline_keyboard: [] } };
  const date = reportAsOf ? formatReportMonth(t, reportAsOf) : "";
  return {
    text: t("list.title", { people: escapeHtml(t("people", { count: total })), date: escapeHtml(date) }),
    keyboard: {
      inline_keyboard: counts.map((c) => [
        {
          text: t("list.category_button", { category: t(`category_plural.${c.category}`), count: c.count }),
          callback_data: encode({ kind: "category", category: c.category, page: 0 }),
        },
      ]),
    },
  };
}

export function renderCategoryPage(t: Translate, lang: Lang, page: CategoryPage): Rendered {
  const rows: InlineKeyboardButton[][] = page.items.map((brief) => [
    { text: truncate(displayName(brief.names, lang), 60), callback_data: encode({ kind: "card", slug: brief.slug }) },
  ]);
  const nav: InlineKeyboardButton[] = [];
  if (page.page > 0) {
    nav.push({ text: t("button.previous"), callback_data: encode({ kind: "category", category: page.category, page: page.page - 1 }) });
  }
  if (page.page + 1 < page.pages) {
    nav.push({ text: t("button.next"), callback_data: encode({ kind: "category", category: page.category, page: page.page + 1 }) });
  }
  if (nav.length > 0) rows.push(nav);
  rows.push([{ text: t("button.categories"), callback_data: encode({ kind: "categories" }) }]);
  const keyboard: InlineKeyboardMarkup = { inline_keyboard: rows };
  const title = t("list.category_title", {
    category: escapeHtml(t(`category_plural.${page.category}`)),
    people: escapeHtml(t("people", { count: page.total })),
    page: page.page + 1,
    pages: page.pages,
  });
  const lines = page.items.map((item) => {
    const status = t(`status.${item.status}`);
    return `• <b>${escapeHtml(truncate(displayName(item.names, lang), 60))}</b> — ${escapeHtml(status)} <i>(${escapeHtml(lastConfirmed(t, item.freshness))})</i>`;
  });
  return { text: [title, "", ...lines].join("\n"), keyboard };
}

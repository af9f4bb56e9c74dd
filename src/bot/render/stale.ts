import type { InlineKeyboardButton } from "grammy/types";
import type { Lang } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import type { StalePage } from "../../services/case-admin.js";
import { fits, STEP } from "../callback-data.js";
import type { Rendered } from "./card.js";
import { escapeHtml, truncate } from "./html.js";
import { lastConfirmed } from "./lists.js";
import { displayName } from "../../wording/names.js";

/**
 * /stale: cases by when their status was last confirmed, oldest first; for each, a button to change
 * the status (the /editcase step, source required) and one to confirm it is still true.
 */
export function renderStalePage(t: Translate, lang: Lang, page: StalePage, pageSize: number): Rendered {
  if (page.total === 0) return { text: escapeHtml(t("stale.empty")), keyboard: { inline_keyboard: [] } };
  const first = page.page * pageSize + 1;
  const lines = [t("stale.title", { from: first, to: first + page.items.length - 1, total: page.total }), ""];
  const rows: InlineKeyboardButton[][] = [];
  page.items.forEach((item, i) => {
    const name = displayName(item.names, lang);
    lines.push(`${first + i}. <b>${escapeHtml(truncate(name, 60))}</b> — ${escapeHtml(t(`status.${item.status}`))} <i>(${escapeHtml(lastConfirmed(t, item.freshness))})</i>`);
    const edit = STEP.translate(item.slug, "status");
    const review = STEP.staleReview(item.slug);
    if (!fits(edit) || !fits(review)) return;
    const short = truncate(name, 24);
    rows.push([
      { text: t("stale.edit_button", { name: short }), callback_data: edit },
      { text: t("stale.review_button", { name: short }), callback_data: review },
    ]);
  });
  const nav: InlineKeyboardButton[] = [];
  if (page.page > 0) nav.push({ text: t("button.previous"), callback_data: STEP.stalePage(page.page - 1) });
  if (page.page + 1 < page.pages) nav.push({ text: t("button.next"), callback_data: STEP.stalePage(page.page + 1) });
  if (nav.length > 0) rows.push(nav);
  return { text: lines.join("\n"), keyboard: { inline_keyboard: rows } };
}

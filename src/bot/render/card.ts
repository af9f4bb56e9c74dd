import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { CaseDetail, TimelineEvent } from "../../domain/case.js";
import { isStatus, isUpdateType, type Lang } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import { encode } from "../callback-data.js";
import { formatDate, formatReportMonth } from "../../wording/dates.js";
import { escapeHtml, MESSAGE_LIMIT, truncate, visibleLength } from "./html.js";
import { pickText } from "../../wording/localized.js";
import { displayName, otherSpellings, spellingNote } from "../../wording/names.js";

export interface Rendered {
  text: string;
  keyboard: InlineKeyboardMarkup;
}

/** Events shown on the card itself; the rest are one button away. */
const CARD_EVENTS = 5;
const CARD_UPDATES = 3;
const SUMMARY_MAX = 1500;
const EVENT_MAX = 600;
const SAFE_LIMIT = MESSAGE_LIMIT - 96;

function inOriginal(t: Translate, wanted: Lang, got: Lang): string {
  return wanted === got ? "" : ` <i>(${escapeHtml(t("card.original_language", { lang: t(`language.name_${got}`) }))})</i>`;
}

function eventLine(t: Translate, lang: Lang, event: TimelineEvent, max: number): string | undefined {
  const picked = pickText(event.text, lang);
  if (!picked) return undefined;
  const date = escapeHtml(formatDate(t, event.date));
  const type = isUpdateType(event.updateType) && event.updateType !== "other" ? `<i>${escapeHtml(t(`update_type.${event.updateType}`))}:</i> ` : "";
  let line = `• <b>${date}</b> — ${type}${escapeHtml(truncate(picked.text, max))}${inOriginal(t, lang, picked.lang)}`;
  if (isStatus(event.statusTo)) {
    const from = isStatus(event.statusFrom) ? t(`status.${event.statusFrom}`) : "—";
    line += ` <i>(${escapeHtml(t("card.status_change", { from, to: t(`status.${event.statusTo}`) }))})</i>`;
  }
  return line;
}

function linkOrText(url: string | null, text: string): string {
  return url && /^https?:\/\//.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

function withSource(text: string, url: string | null, t: Translate): string {
  return `<i>${escapeHtml(text)}</i>${url ? ` (${linkOrText(url, t("card.source").toLowerCase())})` : ""}`;
}

/**
 * What follows the status on its line: since when and on which source it holds, or when moderators
 * added the case; then when a moderator last confirmed it still true. A status that is only the
 * report's gets no suffix here: the card says so on a line of its own (reportStatusLine).
 */
export function statusSuffix(t: Translate, detail: Pick<CaseDetail, "freshness">): string {
  const f = detail.freshness;
  const parts: string[] = [];
  if (f.basis === "added") parts.push(withSource(t("card.added_by_moderators", { date: formatDate(t, f.since.slice(0, 10)) }), f.sinceSource, t));
  if (f.basis === "changed") parts.push(withSource(t("card.status_since", { date: formatDate(t, f.since.slice(0, 10)) }), f.sinceSource, t));
  if (f.reviewedAt !== null) parts.push(withSource(t("card.still_true", { date: formatDate(t, f.reviewedAt.slice(0, 10)) }), f.reviewSource, t));
  return parts.length === 0 ? "" : ` — ${parts.join("; ")}`;
}

/**
 * For a status nobody has changed or confirmed since the report: a line that cannot be missed, saying
 * that this is what a report of December 2017 said, that the case may have changed, and how to tell us.
 */
export function reportStatusLine(t: Translate, detail: Pick<CaseDetail, "freshness">): string | undefined {
  const f = detail.freshness;
  if (f.basis !== "report" || f.reviewedAt !== null) return undefined;
  const said = t("card.report_said", { date: formatReportMonth(t, f.since) });
  return `⚠️ <b>${escapeHtml(said)}</b> ${escapeHtml(t("card.may_have_changed", { button: t("button.send_news") }))}`;
}

function sourceLine(t: Translate, lang: Lang, detail: CaseDetail): string | undefined {
  if (!detail.source) return undefined;
  const title = pickText(detail.source.title, lang)?.text ?? detail.source.id;
  const label = `<b>${escapeHtml(t("card.source"))}:</b> `;
  if (detail.source.url && /^https?:\/\//.test(detail.source.url)) {
    return `${label}<a href="${escapeHtml(detail.source.url)}">${escapeHtml(title)}</a>`;
  }
  return label + escapeHtml(title);
}

export interface CardOptions {
  subscribed?: boolean;
  /** A button that opens the card's page as a Mini App (private chats with an https PUBLIC_URL). */
  miniApp?: InlineKeyboardButton;
}

export function cardKeyboard(t: Translate, lang: Lang, detail: CaseDetail, opts: CardOptions = {}): InlineKeyboardMarkup {
  const follow = opts.subscribed
    ? { text: t("button.unsubscribe"), callback_data: encode({ kind: "unsubscribe", slug: detail.slug }) }
    : { text: t("button.subscribe"), callback_data: encode({ kind: "subscribe", slug: detail.slug }) };
  return {
    inline_keyboard: [
      [follow, { text: t("button.send_news"), callback_data: encode({ kind: "news", slug: detail.slug }) }],
      [
        { text: t("button.timeline"), callback_data: encode({ kind: "timeline", slug: detail.slug }) },
        { text: t("button.share"), switch_inline_query: displayName(detail.names, lang) },
      ],
      ...(opts.miniApp ? [[opts.miniApp]] : []),
    ],
  };
}

/** The case card: who, what, status as of when, the report's words, dated events and the source. */
export function renderCard(t: Translate, lang: Lang, detail: CaseDetail, opts: CardOptions = {}, eventsShown = CARD_EVENTS): Rendered {
  const name = displayName(detail.names, lang);
  const spellings = otherSpellings(detail.names, lang);
  const lines: string[] = [`<b>${escapeHtml(name)}</b>`];
  const note = spellingNote(t, detail);
  const under = spellings.join(" · ") + (note ? `${spellings.length > 0 ? " " : ""}(${note})` : "");
  if (under !== "") lines.push(`<i>${escapeHtml(under)}</i>`);
  lines.push("");
  lines.push(`<b>${escapeHtml(t("card.category"))}:</b> ${escapeHtml(t(`category.${detail.category}`))}`);
  lines.push(`<b>${escapeHtml(t("card.role"))}:</b> ${escapeHtml(t(`role.${detail.role}`))}`);
  lines.push(`<b>${escapeHtml(t("card.status"))}:</b> ${escapeHtml(t(`status.${detail.status}`))}${statusSuffix(t, detail)}`);
  const reportLine = reportStatusLine(t, detail);
  if (reportLine) lines.push(reportLine);

  const summary = pickText(detail.summary, lang);
  if (summary) {
    lines.push("", escapeHtml(truncate(summary.text, SUMMARY_MAX)) + inOriginal(t, lang, summary.lang));
  }

  const updates = detail.events.filter((e) => e.origin === "update");
  const reportEvents = detail.events.filter((e) => e.origin === "report");
  const latest = updates.slice(-Math.min(CARD_UPDATES, eventsShown)).reverse();
  if (latest.length > 0) {
    lines.push("", `<b>${escapeHtml(t("card.latest_updates"))}</b>`);
    for (const e of latest) {
      const line = eventLine(t, lang, e, EVENT_MAX);
      if (line) lines.push(line);
    }
  }
  const events = reportEvents.slice(-eventsShown);
  if (events.length > 0) {
    lines.push("", `<b>${escapeHtml(t("card.timeline"))}</b>`);
    for (const e of events) {
      const line = eventLine(t, lang, e, EVENT_MAX);
      if (line) lines.push(line);
    }
  }
  const hidden = detail.events.length - events.length - latest.length;
  if (hidden > 0) lines.push(`<i>${escapeHtml(t("card.more_in_timeline", { count: hidden }))}</i>`);

  const source = sourceLine(t, lang, detail);
  if (source) lines.push("", source);

  const text = lines.join("\n");
  if (visibleLength(text) > SAFE_LIMIT && eventsShown > 0) return renderCard(t, lang, detail, opts, eventsShown - 1);
  return { text, keyboard: cardKeyboard(t, lang, detail, opts) };
}

/** Every dated event of the case, newest last, cut to fit one message. */
export function renderTimeline(t: Translate, lang: Lang, detail: CaseDetail): Rendered {
  const header = `<b>${escapeHtml(t("card.timeline_of", { name: displayName(detail.names, lang) }))}</b>`;
  const body: string[] = [];
  let used = visibleLength(header) + 2;
  const events = [...detail.events].reverse();
  let hidden = 0;
  for (const e of events) {
    const line = eventLine(t, lang, e, 1200);
    if (!line) continue;
    const len = visibleLength(line) + 1;
    if (used + len > SAFE_LIMIT) {
      hidden++;
      continue;
    }
    used += len;
    body.unshift(line);
  }
  const lines = [header, ""];
  if (body.length === 0) lines.push(escapeHtml(t("card.no_events")));
  else lines.push(...body);
  if (hidden > 0) lines.push(`<i>${escapeHtml(t("card.truncated"))}</i>`);
  return {
    text: lines.join("\n"),
    keyboard: {
      inline_keyboard: [[{ text: t("button.back_to_card"), callback_data: encode({ kind: "card", slug: detail.slug }) }]],
    },
  };
}

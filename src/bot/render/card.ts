import type { InlineKeyboardMarkup } from "grammy/types";
import type { CaseDetail, TimelineEvent } from "../../domain/case.js";
import { isStatus, isUpdateType, type Lang } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import { encode } from "../callback-data.js";
import { formatDate, formatReportMonth } from "./dates.js";
import { escapeHtml, MESSAGE_LIMIT, truncate, visibleLength } from "./html.js";
import { pickText } from "./localized.js";
import { displayName, otherSpellings } from "./names.js";

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

/** When the status line is true as of: the report, a later sourced change, or a case added by moderators. */
function statusContext(t: Translate, detail: CaseDetail): string {
  if (detail.origin === "moderators") {
    const added = escapeHtml(t("card.added_by_moderators", { date: formatDate(t, detail.createdAt.slice(0, 10)) }));
    return ` — <i>${added}</i>${detail.addedSource ? ` (${linkOrText(detail.addedSource, t("card.source").toLowerCase())})` : ""}`;
  }
  if (detail.statusChangedAt) {
    const since = escapeHtml(t("card.status_since", { date: formatDate(t, detail.statusChangedAt.slice(0, 10)) }));
    return ` — <i>${since}</i>${detail.statusSource ? ` (${linkOrText(detail.statusSource, t("card.source").toLowerCase())})` : ""}`;
  }
  if (detail.source) return ` — <i>${escapeHtml(t("card.as_of_report", { date: formatReportMonth(t, detail.source.asOf) }))}</i>`;
  return "";
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
    ],
  };
}

/** The case card: who, what, status as of when, the report's words, dated events and the source. */
export function renderCard(t: Translate, lang: Lang, detail: CaseDetail, opts: CardOptions = {}, eventsShown = CARD_EVENTS): Rendered {
  const name = displayName(detail.names, lang);
  const spellings = otherSpellings(detail.names, lang);
  const lines: string[] = [`<b>${escapeHtml(name)}</b>`];
  const unconfirmed = detail.nameConfirmed ? "" : ` (${t("card.spelling_unconfirmed")})`;
  if (spellings.length > 0 || unconfirmed) lines.push(`<i>${escapeHtml(spellings.join(" · ") + unconfirmed)}</i>`);
  lines.push("");
  lines.push(`<b>${escapeHtml(t("card.category"))}:</b> ${escapeHtml(t(`category.${detail.category}`))}`);
  lines.push(`<b>${escapeHtml(t("card.role"))}:</b> ${escapeHtml(t(`role.${detail.role}`))}`);
  lines.push(`<b>${escapeHtml(t("card.status"))}:</b> ${escapeHtml(t(`status.${detail.status}`))}${statusContext(t, detail)}`);

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

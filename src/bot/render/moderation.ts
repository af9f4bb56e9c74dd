import type { InlineKeyboardButton } from "grammy/types";
import type { CaseBrief } from "../../domain/case.js";
import { isStatus, isUpdateType, type Lang, type Status, UPDATE_TYPES, type UpdateType } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import type { SubmissionRow } from "../../store/schema.js";
import { encode } from "../callback-data.js";
import type { Rendered } from "./card.js";
import { escapeHtml } from "./html.js";
import { displayName } from "../../wording/names.js";

function sourceHtml(t: Translate, url: string | null): string {
  return url ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(t("submit.no_source"));
}

/** Moderators see the author's Telegram id, unless the author asked to stay anonymous. */
export function authorHtml(t: Translate, s: SubmissionRow): string {
  if (s.anonymous === 1) return escapeHtml(t("moderation.anonymous", { id: s.id }));
  return s.author_id === null ? "—" : `<code>${s.author_id}</code>`;
}

function decisionButtons(t: Translate, s: SubmissionRow): InlineKeyboardButton[][] {
  if (s.status === "pending") {
    return [[
      { text: t("button.approve"), callback_data: encode({ kind: "approve", id: s.id }) },
      { text: t("button.reject"), callback_data: encode({ kind: "reject", id: s.id }) },
    ]];
  }
  return [];
}

/** What moderators see of a submission: the case, the full text (escaped), the source and the author. */
export function renderSubmission(t: Translate, lang: Lang, s: SubmissionRow, brief: CaseBrief | undefined, decided?: string): Rendered {
  const text = t("moderation.new", {
    id: s.id,
    name: escapeHtml(brief ? displayName(brief.names, lang) : s.case_slug),
    lang: escapeHtml(t(`language.name_${s.lang === "ru" || s.lang === "kk" ? s.lang : "en"}`)),
    author: authorHtml(t, s),
    text: escapeHtml(s.text),
    source: sourceHtml(t, s.source_url),
  });
  const full = decided ? `${text}\n\n${decided}` : text;
  const buttons = s.status === "pending" && decided ? [] : decisionButtons(t, s);
  return { text: full, keyboard: { inline_keyboard: buttons } };
}

/** The type picker shown in place of Approve/Reject. */
export function typeKeyboard(t: Translate, id: number): InlineKeyboardButton[][] {
  const buttons = UPDATE_TYPES.map((type) => ({ text: t(`update_type.${type}`), callback_data: encode({ kind: "type", id, type }) }));
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 3) rows.push(buttons.slice(i, i + 3));
  rows.push([{ text: t("button.back"), callback_data: encode({ kind: "typeBack", id }) }]);
  return rows;
}

/** For a type that may set a status: change it (the moderator confirms what it becomes) or keep it. */
export function statusChoiceKeyboard(t: Translate, id: number, type: UpdateType, status: Status): InlineKeyboardButton[][] {
  return [
    [{ text: t("button.change_status", { status: t(`status.${status}`) }), callback_data: encode({ kind: "typeStatus", id, type, change: true }) }],
    [{ text: t("button.keep_status"), callback_data: encode({ kind: "typeStatus", id, type, change: false }) }],
    [{ text: t("button.back"), callback_data: encode({ kind: "approve", id }) }],
  ];
}

export function renderPreview(t: Translate, name: string, text: string, source: string | null, anonymous: boolean): string {
  const preview = t("submit.preview", { name: escapeHtml(name), text: escapeHtml(text), source: sourceHtml(t, source) });
  return anonymous ? `${preview}\n<i>${escapeHtml(t("submit.anonymous_note"))}</i>` : preview;
}

/** The decision on a submission, as the moderators' copies of it say it. */
export function decisionLine(t: Translate, s: SubmissionRow, followers?: number): string {
  const type = t(`update_type.${isUpdateType(s.update_type) ? s.update_type : "other"}`);
  if (s.status === "approved") {
    const line = t("moderation.approved_by", { by: s.decided_by ?? "—", event: s.event_id ?? "—", followers: followers ?? "—", type: escapeHtml(type) });
    return isStatus(s.new_status) ? `${line}\n${escapeHtml(t("moderation.status_set", { status: t(`status.${s.new_status}`) }))}` : line;
  }
  if (s.status === "awaiting_confirmation") {
    const status = isStatus(s.new_status) ? t(`status.${s.new_status}`) : "—";
    return t("moderation.awaiting", { by: s.decided_by ?? "—", type: escapeHtml(type), status: escapeHtml(status) });
  }
  const line = t("moderation.rejected_by", { by: s.decided_by ?? "—" });
  return s.reason ? `${line}\n${escapeHtml(t("moderation.reason", { reason: s.reason }))}` : line;
}

import type { InlineKeyboardButton } from "grammy/types";
import type { CaseDetail, CaseNames } from "../../domain/case.js";
import { isCategory, isRole, isStatus, type Lang, LANGS } from "../../domain/codes.js";
import { CASE_FIELD, CASE_SHOWN, isEditableField, isRevisionState, STATUS_REVIEW_FIELD } from "../../domain/fields.js";
import { SOURCE_MAX, SUMMARY_MAX } from "../../domain/rules.js";
import type { Translate } from "../../i18n.js";
import type { RevisionRow } from "../../store/schema.js";
import { STEP } from "../callback-data.js";
import type { Rendered } from "./card.js";
import { escapeHtml, MESSAGE_LIMIT, truncate, visibleLength } from "./html.js";
import { displayName } from "../../wording/names.js";

/** How revisions and new-case drafts read to moderators: a change waiting for a second moderator, a history, a draft. */

export function formatStamp(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function fieldLabel(t: Translate, field: string): string {
  if (field === STATUS_REVIEW_FIELD) return t("stale.history_field");
  return isEditableField(field) || field === CASE_FIELD ? t(`admin.field.${field}`) : field;
}

/** A stored value as a moderator reads it: labels for codes, "—" for nothing, cut to `max`. */
export function valueText(t: Translate, field: string, value: string | null, max: number): string {
  if (value === null || value === "") return field === CASE_FIELD ? t("admin.value.case_hidden") : "—";
  if (field === CASE_FIELD) return value === CASE_SHOWN ? t("admin.value.case_shown") : value;
  if ((field === "status" || field === STATUS_REVIEW_FIELD) && isStatus(value)) return t(`status.${value}`);
  if (field === "category" && isCategory(value)) return t(`category.${value}`);
  if (field === "role" && isRole(value)) return t(`role.${value}`);
  if (field === "aliases") return truncate(value.split("\n").join(", "), max);
  return truncate(value, max);
}

export interface DraftFields {
  names: { en: string; ru: string | null; kk: string | null };
  category: string;
  role: string;
  status: string;
  summary: Partial<Record<Lang, string>>;
  source: string | null;
}

export function draftFromDetail(d: CaseDetail): DraftFields {
  return { names: { en: d.names.en, ru: d.names.ru, kk: d.names.kk }, category: d.category, role: d.role, status: d.status, summary: d.summary, source: d.addedSource };
}

/** The whole of a new case, for the moderator who writes it and the one who confirms it. */
export function draftLines(t: Translate, d: DraftFields): string[] {
  const line = (label: string, value: string) => `<b>${escapeHtml(label)}:</b> ${escapeHtml(value)}`;
  const lines = [
    line(t("admin.field.name_en"), d.names.en),
    line(t("admin.field.name_ru"), d.names.ru ?? "—"),
    line(t("admin.field.name_kk"), d.names.kk ?? "—"),
    line(t("card.category"), isCategory(d.category) ? t(`category.${d.category}`) : d.category),
    line(t("card.role"), isRole(d.role) ? t(`role.${d.role}`) : d.role),
    line(t("card.status"), isStatus(d.status) ? t(`status.${d.status}`) : d.status),
  ];
  // Up to three summaries of up to 2000 characters each share what is left of one message.
  const summaries = LANGS.filter((lang) => d.summary[lang]);
  const budget = Math.floor(2400 / Math.max(1, summaries.length));
  for (const lang of summaries) {
    lines.push("", `<b>${escapeHtml(t(`admin.field.summary_${lang}`))}:</b>`, escapeHtml(truncate(d.summary[lang] ?? "", budget)));
  }
  const url = d.source && /^https?:\/\//.test(d.source) ? d.source : null;
  lines.push("", `<b>${escapeHtml(t("card.source"))}:</b> ${url ? `<a href="${escapeHtml(url)}">${escapeHtml(truncate(url, 200))}</a>` : escapeHtml(d.source ?? "—")}`);
  return lines;
}

export function revisionButtons(t: Translate, r: RevisionRow): InlineKeyboardButton[][] {
  if (r.state !== "pending") return [];
  return [[
    { text: t("admin.button.confirm"), callback_data: STEP.confirmRevision(r.id) },
    { text: t("admin.button.discard"), callback_data: STEP.discardRevision(r.id) },
  ]];
}

/** A revision waiting for (or just given) a second moderator's decision, with Confirm/Discard while it waits. */
export function renderRevision(t: Translate, lang: Lang, r: RevisionRow, names: CaseNames | null, draft: CaseDetail | null, decided?: string, news?: string): Rendered {
  const name = names ? displayName(names, lang) : r.case_slug;
  const lines: string[] = [];
  const isNewCase = r.field === CASE_FIELD && r.new_value === CASE_SHOWN && r.reverts === null;
  if (isNewCase) {
    lines.push(`<b>${escapeHtml(t("admin.pending.new_case", { id: r.id }))}</b>`);
    if (draft) lines.push(...draftLines(t, draftFromDetail(draft)));
    else lines.push(`<b>${escapeHtml(name)}</b>`);
  } else {
    lines.push(`<b>${escapeHtml(t("admin.pending.change", { id: r.id, name }))}</b>`);
    if (r.reverts !== null) lines.push(`<i>${escapeHtml(t("admin.pending.revert", { id: r.reverts }))}</i>`);
    lines.push(
      `<b>${escapeHtml(fieldLabel(t, r.field))}:</b> ${escapeHtml(valueText(t, r.field, r.old_value, 600))} → <b>${escapeHtml(valueText(t, r.field, r.new_value, SUMMARY_MAX))}</b>`,
    );
    lines.push(`<b>${escapeHtml(t("admin.history.source"))}:</b> ${escapeHtml(truncate(r.source, SOURCE_MAX))}`);
    // A status set by an approval: the news it comes with, for the second moderator to judge.
    if (news !== undefined) lines.push("", `<i>${escapeHtml(truncate(news, 1500))}</i>`);
  }
  lines.push("", `<i>${escapeHtml(t("admin.pending.proposed_by", { date: formatStamp(r.created_at) }))}</i> <code>${r.actor_id}</code>`);
  if (decided) lines.push("", decided);
  return { text: lines.join("\n"), keyboard: { inline_keyboard: decided ? [] : revisionButtons(t, r) } };
}


/** A case's revisions, newest first, cut to fit one message. */
export function renderHistory(t: Translate, lang: Lang, names: CaseNames, revisions: RevisionRow[]): string {
  const name = displayName(names, lang);
  if (revisions.length === 0) return escapeHtml(t("admin.history.empty", { name }));
  const header = `<b>${escapeHtml(t("admin.history.title", { name }))}</b>`;
  const blocks: string[] = [];
  let used = visibleLength(header) + 2;
  let left = 0;
  for (const r of revisions) {
    const state = escapeHtml(t(`admin.state.${isRevisionState(r.state) ? r.state : "applied"}`));
    const first = `<b>#${r.id}</b> · ${escapeHtml(formatStamp(r.created_at))} · <code>${r.actor_id}</code> · <i>${state}</i>`;
    const extra: string[] = [];
    if (r.confirmed_by !== null) extra.push(`${escapeHtml(t("admin.history.confirmed_by"))} <code>${r.confirmed_by}</code>`);
    if (r.reverts !== null) extra.push(escapeHtml(t("admin.history.reverts", { id: r.reverts })));
    const lines = [
      extra.length > 0 ? `${first} · ${extra.join(" · ")}` : first,
      `${escapeHtml(fieldLabel(t, r.field))}: ${escapeHtml(valueText(t, r.field, r.old_value, 120))} → ${escapeHtml(valueText(t, r.field, r.new_value, 120))}`,
      `${escapeHtml(t("admin.history.source"))}: ${escapeHtml(truncate(r.source, 200))}`,
    ];
    const block = lines.join("\n");
    const size = visibleLength(block) + 2;
    if (left > 0 || used + size > MESSAGE_LIMIT - 200) {
      left++;
      continue;
    }
    used += size;
    blocks.push(block);
  }
  const out = [header, "", blocks.join("\n\n")];
  if (left > 0) out.push("", `<i>${escapeHtml(t("admin.history.more", { count: left }))}</i>`);
  return out.join("\n");
}


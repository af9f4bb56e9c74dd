import { type Conversation, createConversation } from "@grammyjs/conversations";
import { type Api, Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { CaseDetail, CaseNames } from "../../domain/case.js";
import { CATEGORIES, isCategory, isLang, isRole, isStatus, type Lang, LANGS, ROLES, SLUG_PATTERN, STATUSES } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import {
  ALIAS_MAX_COUNT,
  CASE_FIELD,
  CASE_SHOWN,
  type Checked,
  checkFieldValue,
  checkName,
  checkSource,
  checkSummary,
  type ConfirmResult,
  type DiscardResult,
  EDITABLE_FIELDS,
  type EditableField,
  type EditResult,
  type InvalidReason,
  isEditableField,
  type MissingField,
  NAME_MAX,
  NAME_MIN,
  type RevertResult,
  SOURCE_MAX,
  SUMMARY_MAX,
  SUMMARY_MIN,
  TRANSLATION_FIELDS,
  type TranslationField,
} from "../../services/case-admin.js";
import type { FindResult } from "../../services/cases.js";
import { parseSourceUrl } from "../../services/moderation.js";
import type { RevisionRow } from "../../store/schema.js";
import type { BotContext, BotDeps, ConvContext } from "../context.js";
import type { Rendered } from "../render/card.js";
import { escapeHtml, MESSAGE_LIMIT, truncate, visibleLength } from "../render/html.js";
import { displayName } from "../render/names.js";
import { editView, replyView } from "../reply.js";

/**
 * Case administration for moderators and admins: /newcase, /editcase, /history, /revert, /confirm,
 * /translations, and the Confirm/Discard buttons (rv:<id>, rvx:<id>) of changes that wait for a
 * second moderator. Every step asks the service again whether the user is still staff.
 */

type AdminConversation = Conversation<BotContext, ConvContext>;
type AnyContext = BotContext | ConvContext;

export const NEW_CASE = "newcase";
export const EDIT_CASE = "editcase";

const html = { parse_mode: "HTML" as const };
const noPreview = { is_disabled: true };

/** Callback data: all built and parsed here; each is at most 64 bytes. */
const CB = {
  confirm: (id: number) => `rv:${id}`,
  discard: (id: number) => `rvx:${id}`,
  history: (slug: string) => `ah:${slug}`,
  translate: (slug: string, field: TranslationField) => `ce:${slug}:${field}`,
  skip: "an:skip",
  save: "an:save",
  cancel: "an:cancel",
  category: (c: string) => `an:c:${c}`,
  role: (r: string) => `an:r:${r}`,
  status: (s: string) => `an:s:${s}`,
  lang: (l: string) => `an:l:${l}`,
  person: (slug: string) => `ae:p:${slug}`,
  field: (f: EditableField) => `ae:f:${f}`,
  value: (v: string) => `ae:v:${v}`,
  fieldCancel: "ae:f:cancel",
  valueCancel: "ae:v:cancel",
} as const;

const RE = {
  confirm: /^rv:(\d{1,12})$/,
  discard: /^rvx:(\d{1,12})$/,
  history: /^ah:([a-z0-9-]{1,60})$/,
  translate: /^ce:([a-z0-9-]{1,60}):([a-z_]{1,16})$/,
  category: /^an:c:([a-z_]{1,32})$/,
  role: /^an:r:([a-z_]{1,32})$/,
  status: /^an:s:([a-z_]{1,32})$/,
  lang: /^an:l:([a-z]{2})$/,
  person: /^ae:p:([a-z0-9-]{1,60})$/,
  field: /^ae:f:([a-z_]{1,16})$/,
  value: /^ae:v:([a-z_]{1,32})$/,
};

function fits(data: string): boolean {
  return Buffer.byteLength(data, "utf8") <= 64;
}

function rows(buttons: InlineKeyboardButton[], perRow: number): InlineKeyboardButton[][] {
  const out: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) out.push(buttons.slice(i, i + perRow));
  return out;
}

function plain(ctx: AnyContext, key: string, options?: Record<string, unknown>): string {
  return escapeHtml(ctx.t(key, options));
}

function formatStamp(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function fieldLabel(t: Translate, field: string): string {
  return isEditableField(field) || field === CASE_FIELD ? t(`admin.field.${field}`) : field;
}

/** A stored value as a moderator reads it: labels for codes, "—" for nothing, cut to `max`. */
function valueText(t: Translate, field: string, value: string | null, max: number): string {
  if (value === null || value === "") return field === CASE_FIELD ? t("admin.value.case_hidden") : "—";
  if (field === CASE_FIELD) return value === CASE_SHOWN ? t("admin.value.case_shown") : value;
  if (field === "status" && isStatus(value)) return t(`status.${value}`);
  if (field === "category" && isCategory(value)) return t(`category.${value}`);
  if (field === "role" && isRole(value)) return t(`role.${value}`);
  if (field === "aliases") return truncate(value.split("\n").join(", "), max);
  return truncate(value, max);
}

/** Why a value was refused, in words that say what to send instead. */
function invalidText(ctx: AnyContext, what: "name_latin" | "name_cyrillic" | "summary" | "source" | "url" | "aliases" | "code", reason: InvalidReason, length?: number): string {
  switch (what) {
    case "name_latin":
    case "name_cyrillic":
      if (reason === "script") return plain(ctx, what === "name_latin" ? "admin.invalid.name_script_latin" : "admin.invalid.name_script_cyrillic");
      if (reason === "characters") return plain(ctx, "admin.invalid.name_characters");
      return plain(ctx, "admin.invalid.name_length", { min: NAME_MIN, max: NAME_MAX });
    case "summary":
      return plain(ctx, "admin.invalid.summary_length", { length: length ?? 0, min: SUMMARY_MIN, max: SUMMARY_MAX });
    case "source":
      return plain(ctx, reason === "empty" ? "admin.invalid.source_empty" : "admin.invalid.source_length", { max: SOURCE_MAX });
    case "url":
      return plain(ctx, "admin.invalid.url");
    case "aliases":
      return reason === "too_many" ? plain(ctx, "admin.invalid.aliases_too_many", { max: ALIAS_MAX_COUNT }) : plain(ctx, "admin.invalid.aliases", { min: NAME_MIN, max: NAME_MAX });
    case "code":
      return plain(ctx, "admin.invalid.code");
  }
}

/** The role check each step repeats: a demoted moderator's half-finished conversation ends at the next answer. */
async function stillStaff(conversation: AdminConversation, ctx: ConvContext, actor: number): Promise<boolean> {
  const from = ctx.from?.id;
  const ok = from === actor && (await conversation.external((outer) => outer.services.caseAdmin.isStaff(actor)));
  if (!ok) {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("moderation.forbidden"), show_alert: true }).catch(() => undefined);
    await ctx.reply(plain(ctx, "moderation.forbidden"), html);
  }
  return ok;
}

async function pressButton(c: ConvContext): Promise<void> {
  if (c.callbackQuery) await c.answerCallbackQuery({ text: c.t("errors.stale_button") }).catch(() => undefined);
  await c.reply(plain(c, "admin.press_button"), html);
}

/** A text answer; commands other than /cancel (handled before us) get a reminder, not an answer. */
async function waitText(conversation: AdminConversation): Promise<ConvContext> {
  for (;;) {
    const answer = await conversation.waitFor("message:text", {
      otherwise: async (c) => {
        if (c.callbackQuery) await c.answerCallbackQuery({ text: c.t("errors.stale_button") }).catch(() => undefined);
        await c.reply(plain(c, "admin.text_only"), html);
      },
    });
    if (!answer.message?.text.startsWith("/")) return answer;
    await answer.reply(plain(answer, "admin.no_commands"), html);
  }
}

/** A button press matching `pattern`; the keyboard is replaced by the choice, so the prompt reads as answered. */
async function waitChoice(conversation: AdminConversation, pattern: RegExp, prompt: string, label: (code: string) => string | undefined): Promise<{ ctx: ConvContext; code: string }> {
  for (;;) {
    const picked = await conversation.waitForCallbackQuery(pattern, { otherwise: pressButton });
    const code = pattern.exec(picked.callbackQuery.data)?.[1];
    const shown = code === undefined ? undefined : label(code);
    if (code === undefined || shown === undefined) {
      await picked.answerCallbackQuery({ text: picked.t("errors.stale_button") });
      continue;
    }
    await picked.answerCallbackQuery();
    await picked.editMessageText(`${prompt}\n→ <b>${escapeHtml(shown)}</b>`, { ...html, reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
    return { ctx: picked, code };
  }
}

function codeButtons(t: Translate, codes: readonly string[], prefix: "category" | "role" | "status", data: (code: string) => string, perRow: number): InlineKeyboardButton[][] {
  return rows(codes.map((code) => ({ text: truncate(t(`${prefix}.${code}`), 60), callback_data: data(code) })), perRow);
}

// ---------------------------------------------------------------------------------------------
// Rendering of revisions and drafts

interface DraftFields {
  names: { en: string; ru: string | null; kk: string | null };
  category: string;
  role: string;
  status: string;
  summary: Partial<Record<Lang, string>>;
  source: string | null;
}

function draftFromDetail(d: CaseDetail): DraftFields {
  return { names: { en: d.names.en, ru: d.names.ru, kk: d.names.kk }, category: d.category, role: d.role, status: d.status, summary: d.summary, source: d.addedSource };
}

/** The whole of a new case, for the moderator who writes it and the one who confirms it. */
function draftLines(t: Translate, d: DraftFields): string[] {
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

function revisionButtons(t: Translate, r: RevisionRow): InlineKeyboardButton[][] {
  if (r.state !== "pending") return [];
  return [[
    { text: t("admin.button.confirm"), callback_data: CB.confirm(r.id) },
    { text: t("admin.button.discard"), callback_data: CB.discard(r.id) },
  ]];
}

/** A revision waiting for (or just given) a second moderator's decision, with Confirm/Discard while it waits. */
export function renderRevision(t: Translate, lang: Lang, r: RevisionRow, names: CaseNames | null, draft: CaseDetail | null, decided?: string): Rendered {
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
  }
  lines.push("", `<i>${escapeHtml(t("admin.pending.proposed_by", { date: formatStamp(r.created_at) }))}</i> <code>${r.actor_id}</code>`);
  if (decided) lines.push("", decided);
  return { text: lines.join("\n"), keyboard: { inline_keyboard: decided ? [] : revisionButtons(t, r) } };
}

/** The view of a pending revision, with the full draft when it adds a case. */
async function revisionView(deps: BotDeps, actor: number, t: Translate, lang: Lang, r: RevisionRow, decided?: string): Promise<Rendered> {
  const admin = deps.services.caseAdmin;
  const draft = await admin.draft(actor, r.case_slug);
  const detail = draft === "forbidden" || draft === undefined ? null : draft;
  const names = detail ? detail.names : (deps.services.cases.brief(r.case_slug)?.names ?? null);
  return renderRevision(t, lang, r, names, r.field === CASE_FIELD ? detail : null, decided);
}

/** Tells the other moderators and admins that a change waits for one of them. Failures are logged, not fatal. */
async function notifyStaffOfRevision(api: Api, deps: BotDeps, r: RevisionRow): Promise<void> {
  for (const member of await deps.services.moderation.staff()) {
    if (member.telegram_id === r.actor_id) continue;
    const lang: Lang = isLang(member.language) ? member.language : "en";
    const t = deps.i18n.t(lang);
    const view = await revisionView(deps, r.actor_id, t, lang, r);
    await api
      .sendMessage(member.telegram_id, `${escapeHtml(t("admin.notify.waiting"))}\n\n${view.text}`, { ...html, reply_markup: view.keyboard, link_preview_options: noPreview })
      .catch((err: unknown) => deps.logger.warn("could not reach a moderator", { err: err instanceof Error ? err.message : String(err) }));
  }
}

/** Tells whoever proposed a change what the second moderator decided. */
async function notifyProposer(api: Api, deps: BotDeps, r: RevisionRow, decidedBy: number, key: "admin.notify.confirmed" | "admin.notify.discarded"): Promise<void> {
  if (r.actor_id === decidedBy) return;
  const lang = await deps.services.users.language(r.actor_id, undefined);
  const t = deps.i18n.t(lang);
  const brief = deps.services.cases.brief(r.case_slug);
  const name = brief ? displayName(brief.names, lang) : r.case_slug;
  await api
    .sendMessage(r.actor_id, escapeHtml(t(key, { id: r.id, name, by: decidedBy })), html)
    .catch((err: unknown) => deps.logger.warn("could not reach a moderator", { err: err instanceof Error ? err.message : String(err) }));
}

/**
 * For /queue: one message per change waiting for a second moderator (the oldest first, at most 10),
 * each with Confirm and Discard. Sends nothing when nothing waits; returns how many wait in all.
 */
export async function renderPendingRevisions(ctx: BotContext, limit = 10): Promise<number | "forbidden"> {
  if (!ctx.from) return "forbidden";
  const admin = ctx.services.caseAdmin;
  const total = await admin.pendingCount(ctx.from.id);
  if (total === "forbidden") return "forbidden";
  if (total === 0) return 0;
  const list = await admin.pending(ctx.from.id, limit);
  if (list === "forbidden") return "forbidden";
  let title = plain(ctx, "admin.pending.title", { count: total });
  if (total > list.length) title += `\n<i>${plain(ctx, "admin.pending.more", { shown: list.length })}</i>`;
  await ctx.reply(`<b>${title}</b>`, html);
  for (const r of list) await replyView(ctx, await revisionView(ctx.deps, ctx.from.id, ctx.t, ctx.lang, r));
  return total;
}

// ---------------------------------------------------------------------------------------------
// /newcase

async function askName(
  conversation: AdminConversation,
  ctx: ConvContext,
  actor: number,
  field: "name_en" | "name_ru" | "name_kk",
  prompt: string,
  skippable: boolean,
): Promise<{ ctx: ConvContext; value: string | null } | undefined> {
  await ctx.reply(escapeHtml(prompt), {
    ...html,
    ...(skippable ? { reply_markup: { inline_keyboard: [[{ text: ctx.t("button.skip"), callback_data: CB.skip }]] } } : {}),
  });
  for (;;) {
    const answer = await conversation.wait();
    if (!(await stillStaff(conversation, answer, actor))) return undefined;
    if (skippable && answer.callbackQuery?.data === CB.skip) {
      await answer.answerCallbackQuery();
      await answer.editMessageText(`${escapeHtml(prompt)}\n→ <b>${escapeHtml(answer.t("button.skip"))}</b>`, { ...html, reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
      return { ctx: answer, value: null };
    }
    const text = answer.message?.text;
    if (text === undefined) {
      await (skippable ? pressButton(answer) : answer.reply(plain(answer, "admin.text_only"), html));
      continue;
    }
    if (text.startsWith("/")) {
      await answer.reply(plain(answer, "admin.no_commands"), html);
      continue;
    }
    const checked = checkName(field, text);
    if (checked.ok) return { ctx: answer, value: checked.value };
    await answer.reply(invalidText(answer, field === "name_en" ? "name_latin" : "name_cyrillic", checked.reason), html);
  }
}

async function askCode<T extends string>(
  conversation: AdminConversation,
  ctx: ConvContext,
  actor: number,
  prompt: string,
  keyboard: InlineKeyboardButton[][],
  pattern: RegExp,
  label: (code: string) => string | undefined,
): Promise<{ ctx: ConvContext; code: T } | undefined> {
  await ctx.reply(escapeHtml(prompt), { ...html, reply_markup: { inline_keyboard: keyboard } });
  const { ctx: picked, code } = await waitChoice(conversation, pattern, escapeHtml(prompt), label);
  if (!(await stillStaff(conversation, picked, actor))) return undefined;
  return { ctx: picked, code: code as T };
}

async function askSummary(conversation: AdminConversation, ctx: ConvContext, actor: number, prompt: string): Promise<string | undefined> {
  await ctx.reply(escapeHtml(prompt), html);
  for (;;) {
    const answer = await waitText(conversation);
    if (!(await stillStaff(conversation, answer, actor))) return undefined;
    const checked = checkSummary(answer.message?.text ?? "");
    if (checked.ok) return checked.value;
    await answer.reply(invalidText(answer, "summary", checked.reason, [...(answer.message?.text ?? "").trim()].length), html);
  }
}

async function askUrl(conversation: AdminConversation, ctx: ConvContext, actor: number, prompt: string): Promise<string | undefined> {
  await ctx.reply(escapeHtml(prompt), html);
  for (;;) {
    const answer = await waitText(conversation);
    if (!(await stillStaff(conversation, answer, actor))) return undefined;
    const url = parseSourceUrl(answer.message?.text ?? "");
    if (url !== undefined) return url;
    await answer.reply(invalidText(answer, "url", "url"), html);
  }
}

/**
 * /newcase: English name → Russian name → Kazakh name or Skip → category → role → status → summary
 * language → summary → source link → preview → Save or Cancel. A saved case stays hidden until a
 * second moderator confirms it. Replayed from the top on every update: database work stays in external().
 */
export async function newCaseConversation(conversation: AdminConversation, ctx: ConvContext): Promise<void> {
  const actor = ctx.from?.id;
  if (actor === undefined) return;
  if (!(await stillStaff(conversation, ctx, actor))) return;
  await ctx.reply(plain(ctx, "admin.new.intro"), html);

  const en = await askName(conversation, ctx, actor, "name_en", ctx.t("admin.new.ask_name_en"), false);
  if (!en?.value) return;
  const ru = await askName(conversation, en.ctx, actor, "name_ru", ctx.t("admin.new.ask_name_ru"), false);
  if (!ru?.value) return;
  const kk = await askName(conversation, ru.ctx, actor, "name_kk", ctx.t("admin.new.ask_name_kk"), true);
  if (!kk) return;
  const t = ctx.t;
  const category = await askCode<string>(conversation, kk.ctx, actor, t("admin.new.ask_category"), codeButtons(t, CATEGORIES, "category", CB.category, 1), RE.category, (c) =>
    isCategory(c) ? t(`category.${c}`) : undefined,
  );
  if (!category) return;
  const role = await askCode<string>(conversation, category.ctx, actor, t("admin.new.ask_role"), codeButtons(t, ROLES, "role", CB.role, 1), RE.role, (c) =>
    isRole(c) ? t(`role.${c}`) : undefined,
  );
  if (!role) return;
  const status = await askCode<string>(conversation, role.ctx, actor, t("admin.new.ask_status"), codeButtons(t, STATUSES, "status", CB.status, 2), RE.status, (c) =>
    isStatus(c) ? t(`status.${c}`) : undefined,
  );
  if (!status) return;
  const langKeyboard = [LANGS.map((l) => ({ text: t(`admin.language.${l}`), callback_data: CB.lang(l) }))];
  const lang = await askCode<Lang>(conversation, status.ctx, actor, t("admin.new.ask_summary_lang"), langKeyboard, RE.lang, (l) =>
    isLang(l) ? t(`admin.language.${l}`) : undefined,
  );
  if (!lang) return;
  const summary = await askSummary(conversation, lang.ctx, actor, t("admin.new.ask_summary", { lang: t(`language.name_${lang.code}`), min: SUMMARY_MIN, max: SUMMARY_MAX }));
  if (summary === undefined) return;
  const source = await askUrl(conversation, ctx, actor, t("admin.new.ask_source"));
  if (source === undefined) return;

  const draft: DraftFields = {
    names: { en: en.value, ru: ru.value, kk: kk.value },
    category: category.code,
    role: role.code,
    status: status.code,
    summary: { [lang.code]: summary },
    source,
  };
  const preview = [`<b>${plain(ctx, "admin.new.preview_title")}</b>`, "", ...draftLines(t, draft), "", `<i>${plain(ctx, "admin.new.preview_note")}</i>`].join("\n");
  const sent = await ctx.reply(preview, {
    ...html,
    link_preview_options: noPreview,
    reply_markup: { inline_keyboard: [[{ text: t("admin.button.save"), callback_data: CB.save }, { text: t("button.cancel"), callback_data: CB.cancel }]] },
  });
  const choice = await conversation.waitForCallbackQuery([CB.save, CB.cancel], { otherwise: pressButton });
  await choice.answerCallbackQuery();
  await choice.api.editMessageReplyMarkup(sent.chat.id, sent.message_id, { reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
  if (choice.callbackQuery.data === CB.cancel) {
    await choice.reply(plain(choice, "admin.new.cancelled"), html);
    return;
  }
  const result = await conversation.external(async (outer) => {
    const r = await outer.services.caseAdmin.createCase(actor, {
      names: { en: draft.names.en, ru: draft.names.ru ?? "", kk: draft.names.kk },
      category: draft.category,
      role: draft.role,
      status: draft.status,
      summary: draft.summary,
      source,
    });
    if (r.type === "created") {
      const revision = await outer.services.caseAdmin.revision(actor, r.revisionId);
      if (revision && revision !== "forbidden") await notifyStaffOfRevision(outer.api, outer.deps, revision);
    }
    return r;
  });
  if (result.type === "created") await choice.reply(plain(choice, "admin.new.saved", { id: result.revisionId }), html);
  else if (result.type === "forbidden") await choice.reply(plain(choice, "moderation.forbidden"), html);
  else {
    const label = result.field === "summary" ? `admin.field.summary_${lang.code}` : result.field === "source" ? "card.source" : `admin.field.${result.field}`;
    await choice.reply(plain(choice, "admin.new.failed", { problem: choice.t(label) }), html);
  }
}

// ---------------------------------------------------------------------------------------------
// /editcase

interface EditStart {
  query?: string;
  slug?: string;
  field?: string;
}

async function askPerson(conversation: AdminConversation, ctx: ConvContext, actor: number, start: string): Promise<string | undefined> {
  let query = start.trim();
  let current = ctx;
  for (;;) {
    if (query === "") {
      await current.reply(plain(current, "admin.edit.ask_person"), html);
      const answer = await waitText(conversation);
      if (!(await stillStaff(conversation, answer, actor))) return undefined;
      current = answer;
      query = answer.message?.text ?? "";
    }
    const q = query;
    const found = await conversation.external((outer): FindResult => outer.services.cases.find(q));
    if (found.type === "one") return found.case.slug;
    if (found.type === "many") {
      const choices = found.cases.filter((c) => fits(CB.person(c.slug)));
      await current.reply(plain(current, "admin.edit.choose_person"), {
        ...html,
        reply_markup: { inline_keyboard: choices.map((c) => [{ text: truncate(displayName(c.names, current.lang), 60), callback_data: CB.person(c.slug) }]) },
      });
      const picked = await conversation.waitForCallbackQuery(RE.person, { otherwise: pressButton });
      await picked.answerCallbackQuery();
      if (!(await stillStaff(conversation, picked, actor))) return undefined;
      const slug = RE.person.exec(picked.callbackQuery.data)?.[1];
      if (slug && SLUG_PATTERN.test(slug)) return slug;
      current = picked;
    } else {
      await current.reply(plain(current, "admin.edit.not_found", { query: truncate(q.trim(), 60) }), html);
    }
    query = "";
  }
}

function valueHint(ctx: AnyContext, field: EditableField): string {
  switch (field) {
    case "name_en":
    case "name_kk_latn":
      return ctx.t("admin.edit.hint_name_latin", { min: NAME_MIN, max: NAME_MAX });
    case "name_ru":
    case "name_kk":
      return ctx.t("admin.edit.hint_name_cyrillic", { min: NAME_MIN, max: NAME_MAX });
    case "aliases":
      return ctx.t("admin.edit.hint_aliases", { max: ALIAS_MAX_COUNT });
    default:
      return ctx.t("admin.edit.hint_summary", { min: SUMMARY_MIN, max: SUMMARY_MAX });
  }
}

function invalidValue(ctx: AnyContext, field: EditableField, checked: Extract<Checked<unknown>, { ok: false }>, raw: string): string {
  switch (field) {
    case "name_en":
    case "name_kk_latn":
      return invalidText(ctx, "name_latin", checked.reason);
    case "name_ru":
    case "name_kk":
      return invalidText(ctx, "name_cyrillic", checked.reason);
    case "aliases":
      return invalidText(ctx, "aliases", checked.reason);
    case "summary_en":
    case "summary_ru":
    case "summary_kk":
      return invalidText(ctx, "summary", checked.reason, [...raw.trim()].length);
    default:
      return invalidText(ctx, "code", checked.reason);
  }
}

function enumOptions(field: EditableField): { codes: readonly string[]; prefix: "category" | "role" | "status" } | undefined {
  if (field === "status") return { codes: STATUSES, prefix: "status" };
  if (field === "category") return { codes: CATEGORIES, prefix: "category" };
  if (field === "role") return { codes: ROLES, prefix: "role" };
  return undefined;
}

function editResultText(ctx: AnyContext, result: EditResult): string {
  switch (result.type) {
    case "applied":
    case "pending": {
      const r = result.revision;
      const values = { id: r.id, field: fieldLabel(ctx.t, r.field), old: valueText(ctx.t, r.field, r.old_value, 200), new: valueText(ctx.t, r.field, r.new_value, 400) };
      return plain(ctx, result.type === "applied" ? "admin.edit.applied" : "admin.edit.pending", values);
    }
    case "unchanged":
      return plain(ctx, "admin.edit.unchanged");
    case "forbidden":
      return plain(ctx, "moderation.forbidden");
    case "not_found":
      return plain(ctx, "admin.edit.gone");
    case "invalid":
      return plain(ctx, result.field === "source" ? "admin.invalid.source_empty" : "admin.invalid.code", { max: SOURCE_MAX });
  }
}

/**
 * /editcase <name>: the person (a choice when several match) → the field → the new value (buttons for
 * category, role and status) → the source or reason → saved, or recorded to wait for a second moderator.
 * /translations starts here with the person and the field already chosen.
 */
export async function editCaseConversation(conversation: AdminConversation, ctx: ConvContext, start: EditStart = {}): Promise<void> {
  const actor = ctx.from?.id;
  if (actor === undefined) return;
  if (!(await stillStaff(conversation, ctx, actor))) return;
  const slug = start.slug ?? (await askPerson(conversation, ctx, actor, start.query ?? ""));
  if (slug === undefined) return;
  const brief = await conversation.external((outer) => outer.services.cases.brief(slug) ?? null);
  if (!brief) {
    await ctx.reply(plain(ctx, "admin.edit.gone"), html);
    return;
  }
  const name = displayName(brief.names, ctx.lang);
  const t = ctx.t;

  let field: EditableField;
  let step: ConvContext = ctx;
  if (isEditableField(start.field)) {
    field = start.field;
  } else {
    const prompt = t("admin.edit.ask_field", { name });
    const keyboard = [
      ...rows(EDITABLE_FIELDS.map((f) => ({ text: t(`admin.field.${f}`), callback_data: CB.field(f) })), 2),
      [{ text: t("button.cancel"), callback_data: CB.fieldCancel }],
    ];
    await ctx.reply(escapeHtml(prompt), { ...html, reply_markup: { inline_keyboard: keyboard } });
    const picked = await waitChoice(conversation, RE.field, escapeHtml(prompt), (code) =>
      code === "cancel" ? t("button.cancel") : isEditableField(code) ? t(`admin.field.${code}`) : undefined,
    );
    step = picked.ctx;
    if (!isEditableField(picked.code)) {
      await step.reply(plain(step, "admin.new.cancelled"), html);
      return;
    }
    if (!(await stillStaff(conversation, step, actor))) return;
    field = picked.code;
  }

  const current = await conversation.external((outer) => outer.services.caseAdmin.currentValue(actor, slug, field));
  if (current === "forbidden") {
    await step.reply(plain(step, "moderation.forbidden"), html);
    return;
  }
  if (current === "not_found") {
    await step.reply(plain(step, "admin.edit.gone"), html);
    return;
  }
  const header = [
    `<b>${escapeHtml(name)}</b> — ${escapeHtml(t(`admin.field.${field}`))}`,
    `${plain(step, "admin.edit.current")} ${escapeHtml(valueText(t, field, current.value, 1500))}`,
  ];

  let value: string | null;
  const options = enumOptions(field);
  if (options) {
    const prompt = [...header, "", plain(step, "admin.edit.ask_value_choice")];
    if (field === "status") prompt.push(`<i>${plain(step, "admin.edit.sensitive_note")}</i>`);
    const keyboard = [
      ...codeButtons(t, options.codes.filter((c) => c !== current.value), options.prefix, CB.value, options.prefix === "status" ? 2 : 1),
      [{ text: t("button.cancel"), callback_data: CB.valueCancel }],
    ];
    await step.reply(prompt.join("\n"), { ...html, reply_markup: { inline_keyboard: keyboard } });
    const picked = await waitChoice(conversation, RE.value, prompt.join("\n"), (code) =>
      code === "cancel" ? t("button.cancel") : options.codes.includes(code) ? t(`${options.prefix}.${code}`) : undefined,
    );
    step = picked.ctx;
    if (picked.code === "cancel") {
      await step.reply(plain(step, "admin.new.cancelled"), html);
      return;
    }
    if (!(await stillStaff(conversation, step, actor))) return;
    value = picked.code;
  } else {
    await step.reply([...header, "", `${plain(step, "admin.edit.ask_value_text")} ${escapeHtml(valueHint(step, field))}`].join("\n"), html);
    for (;;) {
      const answer = await waitText(conversation);
      if (!(await stillStaff(conversation, answer, actor))) return;
      step = answer;
      const raw = answer.message?.text ?? "";
      const checked = checkFieldValue(field, raw);
      if (!checked.ok) {
        await answer.reply(invalidValue(answer, field, checked, raw), html);
        continue;
      }
      if (checked.value === current.value) {
        await answer.reply(plain(answer, "admin.invalid.same_value"), html);
        continue;
      }
      value = checked.value;
      break;
    }
  }

  await step.reply(plain(step, "admin.edit.ask_source"), html);
  let source: string;
  for (;;) {
    const answer = await waitText(conversation);
    if (!(await stillStaff(conversation, answer, actor))) return;
    step = answer;
    const checked = checkSource(answer.message?.text ?? "");
    if (checked.ok) {
      source = checked.value;
      break;
    }
    await answer.reply(invalidText(answer, "source", checked.reason), html);
  }

  const newValue = value ?? "";
  const result = await conversation.external(async (outer) => {
    const r = await outer.services.caseAdmin.editField(actor, slug, field, newValue, source);
    if (r.type === "pending") await notifyStaffOfRevision(outer.api, outer.deps, r.revision);
    return r;
  });
  await step.reply(editResultText(step, result), html);
}

// ---------------------------------------------------------------------------------------------
// /history

/** A case's revisions, newest first, cut to fit one message. */
export function renderHistory(t: Translate, lang: Lang, names: CaseNames, revisions: RevisionRow[]): string {
  const name = displayName(names, lang);
  if (revisions.length === 0) return escapeHtml(t("admin.history.empty", { name }));
  const header = `<b>${escapeHtml(t("admin.history.title", { name }))}</b>`;
  const blocks: string[] = [];
  let used = visibleLength(header) + 2;
  let left = 0;
  for (const r of revisions) {
    const state = escapeHtml(t(`admin.state.${r.state === "applied" || r.state === "pending" || r.state === "reverted" || r.state === "discarded" ? r.state : "applied"}`));
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

async function showHistory(ctx: BotContext, slug: string): Promise<void> {
  if (!ctx.from) return;
  const brief = ctx.services.cases.brief(slug);
  const revisions = await ctx.services.caseAdmin.history(ctx.from.id, slug);
  if (revisions === "forbidden") {
    await ctx.reply(plain(ctx, "moderation.forbidden"), html);
    return;
  }
  if (!brief) {
    await ctx.reply(plain(ctx, "admin.edit.gone"), html);
    return;
  }
  await ctx.reply(renderHistory(ctx.t, ctx.lang, brief.names, revisions), { ...html, link_preview_options: noPreview });
}

// ---------------------------------------------------------------------------------------------
// Decisions: Confirm / Discard buttons, /confirm, /revert

function confirmText(ctx: AnyContext, id: number, result: ConfirmResult): string {
  switch (result.type) {
    case "applied":
      return ctx.t("admin.confirm.applied", { id });
    case "same_moderator":
      return ctx.t("admin.confirm.same_moderator");
    case "already":
      return ctx.t("admin.confirm.already", { id, state: ctx.t(`admin.state.${result.revision.state}`) });
    case "stale":
      return ctx.t("admin.confirm.stale", { id });
    case "forbidden":
      return ctx.t("moderation.forbidden");
    case "not_found":
      return ctx.t("admin.confirm.not_found", { id });
  }
}

function discardText(ctx: AnyContext, id: number, result: DiscardResult): string {
  switch (result.type) {
    case "discarded":
      return ctx.t(result.caseRemoved ? "admin.discard.case_removed" : "admin.discard.done", { id });
    case "already":
      return ctx.t("admin.confirm.already", { id, state: ctx.t(`admin.state.${result.revision.state}`) });
    case "forbidden":
      return ctx.t("moderation.forbidden");
    case "not_found":
      return ctx.t("admin.confirm.not_found", { id });
  }
}

function revertText(ctx: AnyContext, id: number, result: RevertResult): string {
  switch (result.type) {
    case "pending": {
      const r = result.revision;
      return ctx.t("admin.revert.pending", { id: r.id, field: fieldLabel(ctx.t, r.field), value: valueText(ctx.t, r.field, r.new_value, 200) });
    }
    case "not_applied":
      return ctx.t("admin.revert.not_applied", { id, state: ctx.t(`admin.state.${result.revision.state}`) });
    case "stale":
      return ctx.t("admin.revert.stale", { id });
    case "already_pending":
      return ctx.t("admin.revert.already_pending", { id });
    case "forbidden":
      return ctx.t("moderation.admin_only");
    case "not_found":
      return ctx.t("admin.confirm.not_found", { id });
  }
}

/** Keeps an answerCallbackQuery text within Telegram's 200 characters. */
function short(text: string): string {
  return truncate(text, 190);
}

async function decide(ctx: BotContext, id: number, how: "confirm" | "discard"): Promise<void> {
  if (!ctx.from) return;
  const admin = ctx.services.caseAdmin;
  const actor = ctx.from.id;
  if (how === "confirm") {
    const result = await admin.confirm(id, actor);
    const text = confirmText(ctx, id, result);
    const alert = result.type !== "applied";
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: short(text), show_alert: alert }).catch(() => undefined);
    else await ctx.reply(escapeHtml(text), html);
    if (result.type === "applied" || result.type === "stale") {
      const decided =
        result.type === "applied"
          ? `${plain(ctx, "admin.decided.confirmed")} <code>${actor}</code>`
          : plain(ctx, "admin.decided.stale");
      if (ctx.callbackQuery?.message) await editView(ctx, await revisionView(ctx.deps, actor, ctx.t, ctx.lang, result.revision, decided));
      if (result.type === "applied") await notifyProposer(ctx.api, ctx.deps, result.revision, actor, "admin.notify.confirmed");
    }
    return;
  }
  // A discarded new case is deleted: its card is rendered before that, for the record in the chat.
  const before = await admin.revision(actor, id);
  const view = before && before !== "forbidden" ? await revisionView(ctx.deps, actor, ctx.t, ctx.lang, before) : undefined;
  const result = await admin.discard(id, actor);
  const text = discardText(ctx, id, result);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: short(text), show_alert: result.type !== "discarded" }).catch(() => undefined);
  else await ctx.reply(escapeHtml(text), html);
  if (result.type === "discarded") {
    if (ctx.callbackQuery?.message && view) {
      await editView(ctx, { text: `${view.text}\n\n${plain(ctx, "admin.decided.discarded")} <code>${actor}</code>`, keyboard: { inline_keyboard: [] } });
    }
    await notifyProposer(ctx.api, ctx.deps, result.revision, actor, "admin.notify.discarded");
  }
}

function parseId(text: string): { id: number; rest: string } | undefined {
  const m = /^\s*#?(\d{1,12})(?:\s+([\s\S]*))?$/.exec(text);
  return m ? { id: Number(m[1]), rest: (m[2] ?? "").trim() } : undefined;
}

// ---------------------------------------------------------------------------------------------
// /translations

const TRANSLATION_BUTTONS = 20;

export function renderTranslations(t: Translate, missing: MissingField[]): Rendered {
  if (missing.length === 0) return { text: escapeHtml(t("admin.translations.none")), keyboard: { inline_keyboard: [] } };
  const lines = [`<b>${escapeHtml(t("admin.translations.title"))}</b>`, ""];
  for (const field of TRANSLATION_FIELDS) {
    const count = missing.filter((m) => m.field === field).length;
    if (count > 0) lines.push(escapeHtml(t(`admin.translations.count_${field}`, { count })));
  }
  const buttons = missing
    .filter((m) => fits(CB.translate(m.slug, m.field)))
    .slice(0, TRANSLATION_BUTTONS)
    .map((m) => [{ text: truncate(`${m.name} — ${t(`admin.field.${m.field}`)}`, 60), callback_data: CB.translate(m.slug, m.field) }]);
  lines.push("", escapeHtml(t("admin.translations.pick", { shown: buttons.length, total: missing.length })));
  return { text: lines.join("\n"), keyboard: { inline_keyboard: buttons } };
}

// ---------------------------------------------------------------------------------------------
// The composer

export const caseAdminFeature = new Composer<BotContext>();

caseAdminFeature.use(createConversation(newCaseConversation, { id: NEW_CASE }));
caseAdminFeature.use(createConversation(editCaseConversation, { id: EDIT_CASE }));

/**
 * The first check, before anything else is done or said; services check again as they act. Case
 * administration runs in private chats only: in a group, other members' messages would be taken as answers.
 */
async function refuseReader(ctx: BotContext, adminOnly = false): Promise<boolean> {
  if (!ctx.from) return true;
  if (ctx.chat?.type !== "private") {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("admin.private_only"), show_alert: true });
    else await ctx.reply(plain(ctx, "admin.private_only"), html);
    return true;
  }
  const role = await ctx.services.caseAdmin.roleOf(ctx.from.id);
  const ok = adminOnly ? role === "admin" : role !== "reader";
  if (ok) return false;
  const key = adminOnly && role !== "reader" ? "moderation.admin_only" : "moderation.forbidden";
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
  else await ctx.reply(plain(ctx, key), html);
  return true;
}

caseAdminFeature.command("newcase", async (ctx) => {
  if (await refuseReader(ctx)) return;
  await ctx.conversation.enter(NEW_CASE);
});

caseAdminFeature.command("editcase", async (ctx) => {
  if (await refuseReader(ctx)) return;
  await ctx.conversation.enter(EDIT_CASE, { query: ctx.match.slice(0, 200) });
});

caseAdminFeature.command("history", async (ctx) => {
  if (await refuseReader(ctx)) return;
  const query = ctx.match.trim().slice(0, 200);
  if (query === "") {
    await ctx.reply(plain(ctx, "admin.history.usage"), html);
    return;
  }
  const found = ctx.services.cases.find(query);
  if (found.type === "one") {
    await showHistory(ctx, found.case.slug);
    return;
  }
  if (found.type === "many") {
    const choices = found.cases.filter((c) => fits(CB.history(c.slug)));
    await ctx.reply(plain(ctx, "admin.history.choose"), {
      ...html,
      reply_markup: { inline_keyboard: choices.map((c) => [{ text: truncate(displayName(c.names, ctx.lang), 60), callback_data: CB.history(c.slug) }]) },
    });
    return;
  }
  await ctx.reply(plain(ctx, "admin.edit.not_found", { query: truncate(query, 60) }), html);
});

caseAdminFeature.callbackQuery(RE.history, async (ctx) => {
  if (await refuseReader(ctx)) return;
  const slug = RE.history.exec(ctx.callbackQuery.data)?.[1] ?? "";
  if (!SLUG_PATTERN.test(slug) || !ctx.services.cases.brief(slug)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  await ctx.answerCallbackQuery();
  await showHistory(ctx, slug);
});

caseAdminFeature.command("revert", async (ctx) => {
  if (await refuseReader(ctx, true)) return;
  const parsed = parseId(ctx.match);
  if (!parsed || !ctx.from) {
    await ctx.reply(plain(ctx, "admin.revert.usage"), html);
    return;
  }
  const result = await ctx.services.caseAdmin.revert(ctx.from.id, parsed.id, parsed.rest || undefined);
  await ctx.reply(escapeHtml(revertText(ctx, parsed.id, result)), html);
  if (result.type === "pending") await notifyStaffOfRevision(ctx.api, ctx.deps, result.revision);
});

caseAdminFeature.command("confirm", async (ctx) => {
  if (await refuseReader(ctx)) return;
  const parsed = parseId(ctx.match);
  if (!parsed || parsed.rest !== "") {
    await ctx.reply(plain(ctx, "admin.confirm.usage"), html);
    return;
  }
  await decide(ctx, parsed.id, "confirm");
});

caseAdminFeature.callbackQuery([RE.confirm, RE.discard], async (ctx) => {
  const data = ctx.callbackQuery.data;
  const confirm = RE.confirm.exec(data);
  const discard = RE.discard.exec(data);
  // The service checks the role again as it decides; this answers a forged press before any lookup.
  if (await refuseReader(ctx)) return;
  const id = Number(confirm?.[1] ?? discard?.[1]);
  await decide(ctx, id, confirm ? "confirm" : "discard");
});

caseAdminFeature.command("translations", async (ctx) => {
  if (await refuseReader(ctx) || !ctx.from) return;
  const missing = await ctx.services.caseAdmin.missingTranslations(ctx.from.id);
  if (missing === "forbidden") {
    await ctx.reply(plain(ctx, "moderation.forbidden"), html);
    return;
  }
  await replyView(ctx, renderTranslations(ctx.t, missing));
});

caseAdminFeature.callbackQuery(RE.translate, async (ctx) => {
  if (await refuseReader(ctx)) return;
  const m = RE.translate.exec(ctx.callbackQuery.data);
  const slug = m?.[1] ?? "";
  const field = m?.[2];
  if (!SLUG_PATTERN.test(slug) || !isEditableField(field) || !ctx.services.cases.brief(slug)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  await ctx.answerCallbackQuery();
  await ctx.conversation.enter(EDIT_CASE, { slug, field });
});

// Buttons of a conversation pressed after it ended (or forged): refused for readers, stale for staff.
caseAdminFeature.callbackQuery(/^a[ne]:/, async (ctx) => {
  if (await refuseReader(ctx)) return;
  await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
});

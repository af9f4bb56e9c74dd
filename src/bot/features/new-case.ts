import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { CATEGORIES, isCategory, isLang, isRole, isStatus, type Lang, LANGS, ROLES, STATUSES } from "../../domain/codes.js";
import { checkName, checkSummary, parseSourceUrl, SUMMARY_MAX, SUMMARY_MIN, textLength } from "../../domain/rules.js";
import { STEP, STEP_PATTERN } from "../callback-data.js";
import type { BotContext, ConvContext } from "../context.js";
import { type AppConversation, askText, codeButtons, plain, pressButton, stillStaff, Strikes, waitChoice } from "../conversation/steps.js";
import { CONVERSATION } from "../conversation/ids.js";
import { refuseUnlessStaff } from "../guards.js";
import { invalidText } from "../render/desk-input.js";
import { escapeHtml, HTML, NO_PREVIEW } from "../render/html.js";
import { type DraftFields, draftLines } from "../render/revisions.js";

/**
 * /newcase for moderators and admins. A saved case stays hidden until a second moderator confirms it
 * (the Confirm/Discard of every change waiting for a second moderator, in ./revisions.ts).
 */

async function askName(
  conversation: AppConversation,
  ctx: ConvContext,
  actor: number,
  field: "name_en" | "name_ru" | "name_kk",
  prompt: string,
  skippable: boolean,
): Promise<{ ctx: ConvContext; value: string | null } | undefined> {
  await ctx.reply(escapeHtml(prompt), {
    ...HTML,
    ...(skippable ? { reply_markup: { inline_keyboard: [[{ text: ctx.t("button.skip"), callback_data: STEP.newSkip }]] } } : {}),
  });
  const strikes = new Strikes(conversation);
  for (;;) {
    const answer = await conversation.wait();
    if (!(await stillStaff(conversation, answer, actor))) return undefined;
    if (skippable && answer.callbackQuery?.data === STEP.newSkip) {
      await answer.answerCallbackQuery();
      await answer.editMessageText(`${escapeHtml(prompt)}\n→ <b>${escapeHtml(answer.t("button.skip"))}</b>`, { ...HTML, reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
      return { ctx: answer, value: null };
    }
    const text = answer.message?.text;
    if (text === undefined) {
      await (skippable ? pressButton(answer) : answer.reply(plain(answer, "admin.text_only"), HTML));
      await strikes.wrong(answer);
      continue;
    }
    if (text.startsWith("/")) {
      await answer.reply(plain(answer, "admin.no_commands"), HTML);
      await strikes.wrong(answer);
      continue;
    }
    const checked = checkName(field, text);
    if (checked.ok) return { ctx: answer, value: checked.value };
    await answer.reply(invalidText(answer.t, field === "name_en" ? "name_latin" : "name_cyrillic", checked.reason), HTML);
    await strikes.wrong(answer);
  }
}

async function askCode<T extends string>(
  conversation: AppConversation,
  ctx: ConvContext,
  actor: number,
  prompt: string,
  keyboard: InlineKeyboardButton[][],
  pattern: RegExp,
  label: (code: string) => string | undefined,
): Promise<{ ctx: ConvContext; code: T } | undefined> {
  await ctx.reply(escapeHtml(prompt), { ...HTML, reply_markup: { inline_keyboard: keyboard } });
  const { ctx: picked, code } = await waitChoice(conversation, pattern, escapeHtml(prompt), label);
  if (!(await stillStaff(conversation, picked, actor))) return undefined;
  return { ctx: picked, code: code as T };
}

async function askSummary(conversation: AppConversation, ctx: ConvContext, actor: number, prompt: string): Promise<string | undefined> {
  await ctx.reply(escapeHtml(prompt), HTML);
  const answer = await askText(
    conversation,
    (text) => {
      const checked = checkSummary(text);
      return checked.ok ? checked.value : undefined;
    },
    (c, text) => invalidText(c.t, "summary", "length", textLength(text.trim())),
    { guard: (c) => stillStaff(conversation, c, actor) },
  );
  return answer?.value;
}

async function askUrl(conversation: AppConversation, ctx: ConvContext, actor: number, prompt: string): Promise<string | undefined> {
  await ctx.reply(escapeHtml(prompt), HTML);
  const answer = await askText(conversation, parseSourceUrl, (c) => invalidText(c.t, "url", "url"), { guard: (c) => stillStaff(conversation, c, actor) });
  return answer?.value;
}

/**
 * /newcase: English name → Russian name → Kazakh name or Skip → category → role → status → summary
 * language → summary → source link → preview → Save or Cancel. A saved case stays hidden until a
 * second moderator confirms it. Replayed from the top on every update: database work stays in external().
 */
export async function newCaseConversation(conversation: AppConversation, ctx: ConvContext): Promise<void> {
  const actor = ctx.from?.id;
  if (actor === undefined) return;
  if (!(await stillStaff(conversation, ctx, actor))) return;
  await ctx.reply(plain(ctx, "admin.new.intro"), HTML);

  const en = await askName(conversation, ctx, actor, "name_en", ctx.t("admin.new.ask_name_en"), false);
  if (!en?.value) return;
  const ru = await askName(conversation, en.ctx, actor, "name_ru", ctx.t("admin.new.ask_name_ru"), false);
  if (!ru?.value) return;
  const kk = await askName(conversation, ru.ctx, actor, "name_kk", ctx.t("admin.new.ask_name_kk"), true);
  if (!kk) return;
  const t = ctx.t;
  const category = await askCode<string>(conversation, kk.ctx, actor, t("admin.new.ask_category"), codeButtons(t, CATEGORIES, "category", STEP.newCategory, 1), STEP_PATTERN.newCategory, (c) =>
    isCategory(c) ? t(`category.${c}`) : undefined,
  );
  if (!category) return;
  const role = await askCode<string>(conversation, category.ctx, actor, t("admin.new.ask_role"), codeButtons(t, ROLES, "role", STEP.newRole, 1), STEP_PATTERN.newRole, (c) =>
    isRole(c) ? t(`role.${c}`) : undefined,
  );
  if (!role) return;
  const status = await askCode<string>(conversation, role.ctx, actor, t("admin.new.ask_status"), codeButtons(t, STATUSES, "status", STEP.newStatus, 2), STEP_PATTERN.newStatus, (c) =>
    isStatus(c) ? t(`status.${c}`) : undefined,
  );
  if (!status) return;
  const langKeyboard = [LANGS.map((l) => ({ text: t(`admin.language.${l}`), callback_data: STEP.newLang(l) }))];
  const lang = await askCode<Lang>(conversation, status.ctx, actor, t("admin.new.ask_summary_lang"), langKeyboard, STEP_PATTERN.newLang, (l) =>
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
    ...HTML,
    link_preview_options: NO_PREVIEW,
    reply_markup: { inline_keyboard: [[{ text: t("admin.button.save"), callback_data: STEP.newSave }, { text: t("button.cancel"), callback_data: STEP.newCancel }]] },
  });
  const choice = await conversation.waitForCallbackQuery([STEP.newSave, STEP.newCancel], { otherwise: pressButton });
  await choice.answerCallbackQuery();
  await choice.api.editMessageReplyMarkup(sent.chat.id, sent.message_id, { reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
  if (choice.callbackQuery.data === STEP.newCancel) {
    await choice.reply(plain(choice, "admin.new.cancelled"), HTML);
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
    if (r.type === "created") outer.services.outbox.wake();
    return r;
  });
  if (result.type === "created") await choice.reply(plain(choice, "admin.new.saved", { id: result.revisionId }), HTML);
  else if (result.type === "forbidden") await choice.reply(plain(choice, "moderation.forbidden"), HTML);
  else {
    const label = result.field === "summary" ? `admin.field.summary_${lang.code}` : result.field === "source" ? "card.source" : `admin.field.${result.field}`;
    await choice.reply(plain(choice, "admin.new.failed", { problem: choice.t(label) }), HTML);
  }
}


export const newCaseFeature = new Composer<BotContext>();

newCaseFeature.use(createConversation(newCaseConversation, { id: CONVERSATION.newCase }));

newCaseFeature.command("newcase", async (ctx) => {
  if (await refuseUnlessStaff(ctx)) return;
  await ctx.conversation.enter(CONVERSATION.newCase);
});

import { Composer } from "grammy";
import { isLang, SLUG_PATTERN } from "../../domain/codes.js";
import { TEXT_MAX, TEXT_MIN } from "../../domain/rules.js";
import { isEditableField, TRANSLATION_FIELDS } from "../../domain/fields.js";
import type { MissingField } from "../../services/case-admin.js";
import { fits, STEP, STEP_PATTERN } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { CONVERSATION } from "../conversation/ids.js";
import { refuseUnlessStaff } from "../guards.js";
import type { Rendered } from "../render/card.js";
import { escapeHtml, HTML, truncate } from "../render/html.js";
import type { Translate } from "../../i18n.js";
import { replyView } from "../reply.js";

/** /translations: names and summaries missing in some language, a button per field to write it (via /editcase). */

const TRANSLATION_BUTTONS = 20;

export function renderTranslations(t: Translate, missing: MissingField[]): Rendered {
  if (missing.length === 0) return { text: escapeHtml(t("admin.translations.none")), keyboard: { inline_keyboard: [] } };
  const lines = [`<b>${escapeHtml(t("admin.translations.title"))}</b>`, ""];
  for (const field of TRANSLATION_FIELDS) {
    const count = missing.filter((m) => m.field === field).length;
    if (count > 0) lines.push(escapeHtml(t(`admin.translations.count_${field}`, { count })));
  }
  const buttons = missing
    .filter((m) => fits(STEP.translate(m.slug, m.field)))
    .slice(0, TRANSLATION_BUTTONS)
    .map((m) => [{ text: truncate(`${m.name} — ${t(`admin.field.${m.field}`)}`, 60), callback_data: STEP.translate(m.slug, m.field) }]);
  lines.push("", escapeHtml(t("admin.translations.pick", { shown: buttons.length, total: missing.length })));
  return { text: lines.join("\n"), keyboard: { inline_keyboard: buttons } };
}

export const translationsFeature = new Composer<BotContext>();

translationsFeature.command("translations", async (ctx) => {
  if (await refuseUnlessStaff(ctx) || !ctx.from) return;
  const missing = await ctx.services.caseAdmin.missingTranslations(ctx.from.id);
  if (missing === "forbidden") {
    await ctx.reply(escapeHtml(ctx.t("moderation.forbidden")), HTML);
    return;
  }
  await replyView(ctx, renderTranslations(ctx.t, missing));
});

translationsFeature.callbackQuery(STEP_PATTERN.translate, async (ctx) => {
  if (await refuseUnlessStaff(ctx)) return;
  const m = STEP_PATTERN.translate.exec(ctx.callbackQuery.data);
  const slug = m?.[1] ?? "";
  const field = m?.[2];
  if (!SLUG_PATTERN.test(slug) || !isEditableField(field) || !ctx.services.cases.brief(slug)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  await ctx.answerCallbackQuery();
  await ctx.conversation.enter(CONVERSATION.editCase, { slug, field });
});

// Buttons of a conversation pressed after it ended (or forged): refused for readers, stale for staff.

/** /translate <update> <en|ru|kk> <text>: a translation of a published update. */
translationsFeature.command("translate", async (ctx) => {
  if (!ctx.from) return;
  const m = /^\s*#?(\d{1,12})\s+(en|ru|kk)\s+([\s\S]+)$/.exec(ctx.match.toString());
  if (!(await ctx.services.roles.isStaff(ctx.from.id))) {
    await ctx.reply(escapeHtml(ctx.t("moderation.forbidden")), HTML);
    return;
  }
  if (!m || !isLang(m[2])) {
    await ctx.reply(escapeHtml(ctx.t("moderation.translate_usage")), HTML);
    return;
  }
  const id = Number(m[1]);
  const lang = m[2];
  const r = await ctx.services.moderation.translate(ctx.from.id, id, lang, m[3] ?? "");
  const key = r.ok
    ? "moderation.translated"
    : { forbidden: "moderation.forbidden", not_found: "moderation.translate_not_found", original: "moderation.translate_original", text_length: "moderation.translate_length" }[r.reason];
  await ctx.reply(escapeHtml(ctx.t(key, { id, lang: ctx.t(`language.name_${lang}`), min: TEXT_MIN, max: TEXT_MAX })), HTML);
});

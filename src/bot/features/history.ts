import { Composer } from "grammy";
import { SLUG_PATTERN } from "../../domain/codes.js";
import { fits, STEP, STEP_PATTERN } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { refuseUnlessStaff } from "../guards.js";
import { escapeHtml, HTML, NO_PREVIEW, truncate } from "../render/html.js";
import { displayName } from "../../wording/names.js";
import { renderHistory } from "../render/revisions.js";

/** /history <name>: the revisions of a case, newest first (moderators and admins). */

async function showHistory(ctx: BotContext, slug: string): Promise<void> {
  if (!ctx.from) return;
  const brief = ctx.services.cases.brief(slug);
  const revisions = await ctx.services.caseAdmin.history(ctx.from.id, slug);
  if (revisions === "forbidden") {
    await ctx.reply(escapeHtml(ctx.t("moderation.forbidden")), HTML);
    return;
  }
  if (!brief) {
    await ctx.reply(escapeHtml(ctx.t("admin.edit.gone")), HTML);
    return;
  }
  await ctx.reply(renderHistory(ctx.t, ctx.lang, brief.names, revisions), { ...HTML, link_preview_options: NO_PREVIEW });
}

export const historyFeature = new Composer<BotContext>();

historyFeature.command("history", async (ctx) => {
  if (await refuseUnlessStaff(ctx)) return;
  const query = ctx.match.trim().slice(0, 200);
  if (query === "") {
    await ctx.reply(escapeHtml(ctx.t("admin.history.usage")), HTML);
    return;
  }
  const found = ctx.services.cases.find(query);
  if (found.type === "one") {
    await showHistory(ctx, found.case.slug);
    return;
  }
  if (found.type === "many") {
    const choices = found.cases.filter((c) => fits(STEP.history(c.slug)));
    await ctx.reply(escapeHtml(ctx.t("admin.history.choose")), {
      ...HTML,
      reply_markup: { inline_keyboard: choices.map((c) => [{ text: truncate(displayName(c.names, ctx.lang), 60), callback_data: STEP.history(c.slug) }]) },
    });
    return;
  }
  await ctx.reply(escapeHtml(ctx.t("admin.edit.not_found", { query: truncate(query, 60) })), HTML);
});

historyFeature.callbackQuery(STEP_PATTERN.history, async (ctx) => {
  if (await refuseUnlessStaff(ctx)) return;
  const slug = STEP_PATTERN.history.exec(ctx.callbackQuery.data)?.[1] ?? "";
  if (!SLUG_PATTERN.test(slug) || !ctx.services.cases.brief(slug)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  await ctx.answerCallbackQuery();
  await showHistory(ctx, slug);
});


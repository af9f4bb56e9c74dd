import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { isStatus, SLUG_PATTERN } from "../../domain/codes.js";
import { parseSourceUrl } from "../../domain/rules.js";
import { STEP_PATTERN } from "../callback-data.js";
import type { BotContext, ConvContext } from "../context.js";
import { type AppConversation, askText, plain, stillStaff } from "../conversation/steps.js";
import { CONVERSATION, type ReviewStart } from "../conversation/ids.js";
import { refuseUnlessStaff } from "../guards.js";
import { formatDate } from "../../wording/dates.js";
import { HTML, escapeHtml } from "../render/html.js";
import { displayName } from "../../wording/names.js";
import { renderStalePage } from "../render/stale.js";
import { editView, replyView } from "../reply.js";

/**
 * /stale (moderators, private chat): cases by how long ago their status was last confirmed, oldest
 * first. "Change status" opens the /editcase step for the status (source required); "Still true" asks
 * for the source link and records the review, which moves the case down the list.
 */

export const STALE_PAGE_SIZE = 8;

async function stalePage(ctx: BotContext, page: number) {
  if (!ctx.from) return undefined;
  const result = await ctx.services.caseAdmin.staleCases(ctx.from.id, page, STALE_PAGE_SIZE);
  return result === "forbidden" ? undefined : renderStalePage(ctx.t, ctx.lang, result, STALE_PAGE_SIZE);
}

/** "Still true": the source link, then the review; the status must still be the one the moderator saw. */
export async function staleReviewConversation(conversation: AppConversation, ctx: ConvContext, start: ReviewStart): Promise<void> {
  const actor = ctx.from?.id;
  if (actor === undefined || !SLUG_PATTERN.test(start.slug) || !isStatus(start.status)) return;
  if (!(await stillStaff(conversation, ctx, actor))) return;
  const brief = await conversation.external((outer) => outer.services.cases.brief(start.slug) ?? null);
  if (!brief) {
    await ctx.reply(plain(ctx, "admin.edit.gone"), HTML);
    return;
  }
  const name = displayName(brief.names, ctx.lang);
  const status = ctx.t(`status.${start.status}`);
  const today = await conversation.external(() => new Date().toISOString().slice(0, 10));
  await ctx.reply(ctx.t("stale.ask_source", { name: escapeHtml(name), status: escapeHtml(status), date: escapeHtml(formatDate(ctx.t, today)) }), HTML);
  const answer = await askText(conversation, (text) => parseSourceUrl(text), (c) => plain(c, "stale.bad_url"), {
    guard: (c) => stillStaff(conversation, c, actor),
  });
  if (!answer) return;
  const result = await conversation.external((outer) => outer.services.caseAdmin.reviewStatus(actor, start.slug, start.status, answer.value));
  const reply = answer.ctx;
  switch (result.type) {
    case "reviewed":
      await reply.reply(plain(reply, "stale.done", { id: result.revisionId, name, status, date: formatDate(reply.t, result.at.slice(0, 10)) }), HTML);
      return;
    case "changed":
      await reply.reply(plain(reply, "stale.changed", { name, status: isStatus(result.status) ? reply.t(`status.${result.status}`) : result.status }), HTML);
      return;
    case "not_found":
      await reply.reply(plain(reply, "admin.edit.gone"), HTML);
      return;
    case "invalid":
      await reply.reply(plain(reply, "stale.bad_url"), HTML);
      return;
    case "forbidden":
      await reply.reply(plain(reply, "moderation.forbidden"), HTML);
  }
}

export const staleFeature = new Composer<BotContext>();

staleFeature.use(createConversation(staleReviewConversation, { id: CONVERSATION.staleReview }));

staleFeature.command("stale", async (ctx) => {
  if (await refuseUnlessStaff(ctx)) return;
  const view = await stalePage(ctx, 0);
  if (view) await replyView(ctx, view);
  else await ctx.reply(plain(ctx, "moderation.forbidden"), HTML);
});

staleFeature.callbackQuery(STEP_PATTERN.stalePage, async (ctx) => {
  if (await refuseUnlessStaff(ctx)) return;
  const page = Number(STEP_PATTERN.stalePage.exec(ctx.callbackQuery.data)?.[1] ?? 0);
  const view = await stalePage(ctx, page);
  await ctx.answerCallbackQuery();
  if (view) await editView(ctx, view);
});

staleFeature.callbackQuery(STEP_PATTERN.staleReview, async (ctx) => {
  if (await refuseUnlessStaff(ctx)) return;
  const slug = STEP_PATTERN.staleReview.exec(ctx.callbackQuery.data)?.[1] ?? "";
  const brief = ctx.services.cases.brief(slug);
  if (!brief) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  await ctx.answerCallbackQuery();
  const start: ReviewStart = { slug, status: brief.status };
  await ctx.conversation.enter(CONVERSATION.staleReview, start);
});

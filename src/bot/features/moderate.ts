import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { TYPE_STATUS } from "../../domain/codes.js";
import { clip, parseDay, REASON_MAX } from "../../domain/rules.js";
import type { DecisionResult } from "../../services/moderation.js";
import type { SubmissionRow } from "../../store/schema.js";
import { decode, STEP, STEP_PATTERN } from "../callback-data.js";
import type { BotContext, BotDeps, ConvContext } from "../context.js";
import { type AppConversation, askOptional } from "../conversation/steps.js";
import { CONVERSATION } from "../conversation/ids.js";
import { escapeHtml, HTML } from "../render/html.js";
import { decisionLine, renderSubmission, statusChoiceKeyboard, typeKeyboard } from "../render/moderation.js";
import { editView, replyView } from "../reply.js";
import { revisionButtons } from "../render/revisions.js";

/**
 * A submission's decision: Approve (the type, a change of status, a hearing's date), Reject (an
 * optional reason), and the review of one from /queue.
 */

function decidedLine(ctx: BotContext | ConvContext, s: SubmissionRow, followers?: number): string {
  return decisionLine(ctx.t, s, followers);
}

/** Answers a decision the way a moderator needs to hear it; true when this press made a decision. */
async function answerDecision(ctx: BotContext | ConvContext, result: DecisionResult): Promise<boolean> {
  const answer = (text: string, alert = false) => ctx.answerCallbackQuery({ text, show_alert: alert }).catch(() => undefined);
  switch (result.type) {
    case "forbidden":
      await answer(ctx.t("moderation.forbidden"), true);
      return false;
    case "not_found":
      await answer(ctx.t("moderation.not_found"));
      return false;
    case "own_submission":
      await answer(ctx.t("rules.own_submission"), true);
      return false;
    case "already": {
      const s = result.submission;
      const status = ctx.t(
        s.status === "approved" ? "moderation.status_approved" : s.status === "rejected" ? "moderation.status_rejected" : "moderation.status_awaiting",
      );
      await answer(ctx.t("moderation.already", { by: s.decided_by ?? "—", status }), true);
      return false;
    }
    case "awaiting":
      await answer(ctx.t("moderation.awaiting_answer"), true);
      return true;
    default:
      await answer(ctx.t(result.type === "approved" ? "moderation.approved_answer" : "moderation.rejected_answer"));
      return true;
  }
}

/** After an approval: wake the outbox, tell the author, and show the decision on the moderator's message. */
async function afterApproval(ctx: BotContext | ConvContext, deps: BotDeps, result: DecisionResult, messageId: number | undefined): Promise<void> {
  if (result.type !== "approved" && result.type !== "awaiting") return;
  const s = result.submission;
  // Followers, the author and the other moderators hear of it through the outbox, written with the decision.
  deps.services.outbox.wake();
  // What waits for a second moderator is offered to the others as any waiting change is: Confirm / Discard.
  if (messageId === undefined || ctx.chatId === undefined) return;
  const view = renderSubmission(ctx.t, ctx.lang, s, deps.services.cases.brief(s.case_slug), decidedLine(ctx, s, result.type === "approved" ? result.followers : undefined));
  const keyboard = result.type === "awaiting" ? { inline_keyboard: revisionButtons(ctx.t, result.revision) } : view.keyboard;
  await ctx.api
    .editMessageText(ctx.chatId, messageId, view.text, { parse_mode: "HTML", reply_markup: keyboard, link_preview_options: { is_disabled: true } })
    .catch(() => undefined);
}

/** A hearing may carry its date (YYYY-MM-DD): followers get a reminder the day before. */
async function hearingConversation(conversation: AppConversation, ctx: ConvContext, id: number, messageId: number) {
  const moderatorId = ctx.from?.id;
  if (moderatorId === undefined) return;
  const { ctx: answer, value: hearingDate } = await askOptional(
    conversation,
    ctx,
    { text: escapeHtml(ctx.t("moderation.ask_hearing_date", { id })), skipData: STEP.hearingSkip },
    (text) => (parseDay(text) !== undefined ? text.trim() : undefined),
    (c) => ({ reply: escapeHtml(c.t("moderation.bad_date")) }),
  );
  const result = await conversation.external(async (outer) => {
    const r = await outer.services.moderation.approve(id, moderatorId, { type: "hearing", hearingDate });
    await afterApproval(outer, outer.deps, r, messageId);
    return r;
  });
  if (answer.callbackQuery) await answerDecision(answer, result);
  else await ctx.reply(escapeHtml(ctx.t(result.type === "approved" ? "moderation.approved_answer" : "moderation.not_found")), HTML);
}

/** The moderator's reason for a rejection (optional), then the decision, checked again as it is made. */
async function rejectConversation(conversation: AppConversation, ctx: ConvContext, id: number, messageId: number) {
  const moderatorId = ctx.from?.id;
  if (moderatorId === undefined) return;
  const { ctx: answer, value: reason } = await askOptional(
    conversation,
    ctx,
    { text: escapeHtml(ctx.t("moderation.ask_reason", { id })), skipData: STEP.reasonSkip },
    (text) => clip(text.trim(), REASON_MAX),
    (c) => ({ answer: c.t("moderation.ask_reason", { id }) }),
  );
  const result = await conversation.external(async (outer) => {
    const r = await outer.services.moderation.reject(id, moderatorId, reason);
    if (r.type === "rejected") outer.services.outbox.wake();
    return r;
  });
  if (answer.callbackQuery) await answerDecision(answer, result);
  if (result.type === "rejected") {
    const brief = await conversation.external((outer) => outer.services.cases.brief(result.submission.case_slug) ?? null);
    const view = renderSubmission(ctx.t, ctx.lang, result.submission, brief ?? undefined, decidedLine(ctx, result.submission));
    await ctx.api.editMessageText(ctx.chatId!, messageId, view.text, { ...HTML, reply_markup: view.keyboard, link_preview_options: { is_disabled: true } }).catch(() => undefined);
    await ctx.reply(escapeHtml(ctx.t("moderation.rejected_answer")), HTML);
  } else if (!answer.callbackQuery) {
    const text =
      result.type === "already"
        ? ctx.t("moderation.already", { by: result.submission.decided_by ?? "—", status: ctx.t(result.submission.status === "approved" ? "moderation.status_approved" : "moderation.status_rejected") })
        : ctx.t(result.type === "forbidden" ? "moderation.forbidden" : "moderation.not_found");
    await ctx.reply(escapeHtml(text), HTML);
  }
}

export const moderateFeature = new Composer<BotContext>();
moderateFeature.use(createConversation(rejectConversation, { id: CONVERSATION.reject }));
moderateFeature.use(createConversation(hearingConversation, { id: CONVERSATION.hearing }));

moderateFeature.callbackQuery(STEP_PATTERN.decision, async (ctx) => {
  const action = decode(ctx.callbackQuery.data);
  const { moderation, cases } = ctx.services;
  const messageId = ctx.callbackQuery.message?.message_id;
  if (!action || !("id" in action)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  // The role is checked here and again inside the service, as the decision is written.
  if (!(await ctx.services.roles.isStaff(ctx.from.id))) {
    await ctx.answerCallbackQuery({ text: ctx.t("moderation.forbidden"), show_alert: true });
    return;
  }
  const s = await moderation.get(action.id);
  if (!s) {
    await ctx.answerCallbackQuery({ text: ctx.t("moderation.not_found") });
    return;
  }
  const brief = cases.brief(s.case_slug);
  switch (action.kind) {
    case "review": {
      await ctx.answerCallbackQuery();
      const decided = s.status === "pending" ? undefined : decidedLine(ctx, s);
      await replyView(ctx, renderSubmission(ctx.t, ctx.lang, s, brief, decided));
      return;
    }
    case "reject": {
      if (s.status !== "pending" && s.status !== "awaiting_confirmation") {
        await answerDecision(ctx, { type: "already", submission: s });
        return;
      }
      await ctx.answerCallbackQuery();
      await ctx.conversation.enter(CONVERSATION.reject, action.id, messageId ?? 0);
      return;
    }
    default:
  }
  if (s.status !== "pending") {
    await answerDecision(ctx, { type: "already", submission: s });
    return;
  }
  const view = renderSubmission(ctx.t, ctx.lang, s, brief);
  if (action.kind === "approve" || action.kind === "typeBack") {
    await ctx.answerCallbackQuery(action.kind === "approve" ? { text: ctx.t("moderation.pick_type") } : {});
    const keyboard = action.kind === "approve" ? typeKeyboard(ctx.t, s.id) : view.keyboard.inline_keyboard;
    await editView(ctx, { text: view.text, keyboard: { inline_keyboard: keyboard } });
    return;
  }
  if (action.kind === "type") {
    const status = TYPE_STATUS[action.type];
    if (action.type === "hearing") {
      await ctx.answerCallbackQuery();
      await ctx.conversation.enter(CONVERSATION.hearing, action.id, messageId ?? 0);
      return;
    }
    if (status !== undefined) {
      await ctx.answerCallbackQuery();
      await editView(ctx, { text: view.text, keyboard: { inline_keyboard: statusChoiceKeyboard(ctx.t, s.id, action.type, status) } });
      return;
    }
  }
  const type = action.kind === "type" || action.kind === "typeStatus" ? action.type : "other";
  const newStatus = action.kind === "typeStatus" && action.change ? (TYPE_STATUS[type] ?? null) : null;
  const result = await moderation.approve(action.id, ctx.from.id, { type, newStatus });
  if (await answerDecision(ctx, result)) await afterApproval(ctx, ctx.deps, result, messageId);
});


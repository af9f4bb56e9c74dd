import { type Conversation, createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { isLang, isStatus, isUpdateType, TYPE_STATUS } from "../../domain/codes.js";
import { parseDay, REASON_MAX, type DecisionResult } from "../../services/moderation.js";
import type { SubmissionRow } from "../../store/schema.js";
import { decode, encode } from "../callback-data.js";
import type { BotContext, BotDeps, ConvContext } from "../context.js";
import { escapeHtml, truncate } from "../render/html.js";
import { renderSubmission, statusChoiceKeyboard, typeKeyboard } from "../render/moderation.js";
import { displayName } from "../render/names.js";
import { editView, replyView } from "../reply.js";
import { notifyAuthor } from "../staff.js";
import { setStaffMenu } from "../commands.js";
import { renderPendingRevisions } from "./case-admin.js";

const html = { parse_mode: "HTML" as const };
const REJECT = "reject";
const HEARING = "hearing";
const HEARING_SKIP = "hd:skip";
const REASON_SKIP = "rr:skip";

function decidedLine(ctx: BotContext | ConvContext, s: SubmissionRow, followers?: number): string {
  const type = ctx.t(`update_type.${isUpdateType(s.update_type) ? s.update_type : "other"}`);
  if (s.status === "approved") {
    const line = ctx.t("moderation.approved_by", { by: s.decided_by ?? "—", event: s.event_id ?? "—", followers: followers ?? "—", type: escapeHtml(type) });
    return isStatus(s.new_status) ? `${line}\n${escapeHtml(ctx.t("moderation.status_set", { status: ctx.t(`status.${s.new_status}`) }))}` : line;
  }
  if (s.status === "awaiting_confirmation") {
    const status = isStatus(s.new_status) ? ctx.t(`status.${s.new_status}`) : "—";
    return ctx.t("moderation.awaiting", { by: s.decided_by ?? "—", type: escapeHtml(type), status: escapeHtml(status) });
  }
  const line = ctx.t("moderation.rejected_by", { by: s.decided_by ?? "—" });
  return s.reason ? `${line}\n${escapeHtml(ctx.t("moderation.reason", { reason: s.reason }))}` : line;
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
    case "same_moderator":
      await answer(ctx.t("moderation.same_moderator"), true);
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
  if (result.type === "approved") {
    deps.services.outbox.wake();
    await notifyAuthor(ctx.api, deps, s);
  }
  if (messageId === undefined || ctx.chatId === undefined) return;
  const view = renderSubmission(ctx.t, ctx.lang, s, deps.services.cases.brief(s.case_slug), decidedLine(ctx, s, result.type === "approved" ? result.followers : undefined));
  await ctx.api
    .editMessageText(ctx.chatId, messageId, view.text, { parse_mode: "HTML", reply_markup: view.keyboard, link_preview_options: { is_disabled: true } })
    .catch(() => undefined);
}

/** A hearing may carry its date (YYYY-MM-DD): followers get a reminder the day before. */
async function hearingConversation(conversation: Conversation<BotContext, ConvContext>, ctx: ConvContext, id: number, messageId: number) {
  const moderatorId = ctx.from?.id;
  if (moderatorId === undefined) return;
  await ctx.reply(escapeHtml(ctx.t("moderation.ask_hearing_date", { id })), {
    ...html,
    reply_markup: { inline_keyboard: [[{ text: ctx.t("button.skip"), callback_data: HEARING_SKIP }]] },
  });
  let hearingDate: string | null = null;
  let answer: ConvContext;
  for (;;) {
    answer = await conversation.wait();
    if (answer.callbackQuery?.data === HEARING_SKIP) break;
    const text = answer.message?.text?.trim();
    if (text !== undefined && parseDay(text) !== undefined) {
      hearingDate = text;
      break;
    }
    if (answer.callbackQuery) await answer.answerCallbackQuery();
    await answer.reply(escapeHtml(answer.t("moderation.bad_date")), html);
  }
  const date = hearingDate;
  const result = await conversation.external(async (outer) => {
    const r = await outer.services.moderation.approve(id, moderatorId, { type: "hearing", hearingDate: date });
    await afterApproval(outer, outer.deps, r, messageId);
    return r;
  });
  if (answer.callbackQuery) await answerDecision(answer, result);
  else await ctx.reply(escapeHtml(ctx.t(result.type === "approved" ? "moderation.approved_answer" : "moderation.not_found")), html);
}

/** The moderator's reason for a rejection (optional), then the decision, checked again as it is made. */
async function rejectConversation(conversation: Conversation<BotContext, ConvContext>, ctx: ConvContext, id: number, messageId: number) {
  const moderatorId = ctx.from?.id;
  if (moderatorId === undefined) return;
  await ctx.reply(escapeHtml(ctx.t("moderation.ask_reason", { id })), {
    ...html,
    reply_markup: { inline_keyboard: [[{ text: ctx.t("button.skip"), callback_data: REASON_SKIP }]] },
  });
  let reason: string | null = null;
  let answer: ConvContext;
  for (;;) {
    answer = await conversation.wait();
    if (answer.callbackQuery?.data === REASON_SKIP) break;
    const text = answer.message?.text;
    if (text !== undefined && !text.startsWith("/")) {
      reason = truncate(text.trim(), REASON_MAX);
      break;
    }
    if (answer.callbackQuery) await answer.answerCallbackQuery({ text: answer.t("moderation.ask_reason", { id }) });
  }
  const result = await conversation.external(async (outer) => {
    const r = await outer.services.moderation.reject(id, moderatorId, reason);
    if (r.type === "rejected") await notifyAuthor(outer.api, outer.deps, r.submission);
    return r;
  });
  if (answer.callbackQuery) await answerDecision(answer, result);
  if (result.type === "rejected") {
    const brief = await conversation.external((outer) => outer.services.cases.brief(result.submission.case_slug) ?? null);
    const view = renderSubmission(ctx.t, ctx.lang, result.submission, brief ?? undefined, decidedLine(ctx, result.submission));
    await ctx.api.editMessageText(ctx.chatId!, messageId, view.text, { ...html, reply_markup: view.keyboard, link_preview_options: { is_disabled: true } }).catch(() => undefined);
    await ctx.reply(escapeHtml(ctx.t("moderation.rejected_answer")), html);
  } else if (!answer.callbackQuery) {
    const text =
      result.type === "already"
        ? ctx.t("moderation.already", { by: result.submission.decided_by ?? "—", status: ctx.t(result.submission.status === "approved" ? "moderation.status_approved" : "moderation.status_rejected") })
        : ctx.t(result.type === "forbidden" ? "moderation.forbidden" : "moderation.not_found");
    await ctx.reply(escapeHtml(text), html);
  }
}

export const moderateFeature = new Composer<BotContext>();
moderateFeature.use(createConversation(rejectConversation, { id: REJECT }));
moderateFeature.use(createConversation(hearingConversation, { id: HEARING }));

moderateFeature.callbackQuery(/^(ap|rj|q|ty|tys|tb|cf):/, async (ctx) => {
  const action = decode(ctx.callbackQuery.data);
  const { moderation, cases } = ctx.services;
  const messageId = ctx.callbackQuery.message?.message_id;
  if (!action || !("id" in action)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  // The role is checked here and again inside the service, as the decision is written.
  if (!(await moderation.isStaff(ctx.from.id))) {
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
    case "confirm": {
      const result = await moderation.confirm(action.id, ctx.from.id);
      if (await answerDecision(ctx, result)) await afterApproval(ctx, ctx.deps, result, messageId);
      return;
    }
    case "reject": {
      if (s.status !== "pending" && s.status !== "awaiting_confirmation") {
        await answerDecision(ctx, { type: "already", submission: s });
        return;
      }
      await ctx.answerCallbackQuery();
      await ctx.conversation.enter(REJECT, action.id, messageId ?? 0);
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
      await ctx.conversation.enter(HEARING, action.id, messageId ?? 0);
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

/** /queue: submissions waiting for a decision, then case changes waiting for a second moderator. */
moderateFeature.command("queue", async (ctx) => {
  if (!ctx.from) return;
  const pending = await ctx.services.moderation.pending(ctx.from.id);
  if (pending === "forbidden") {
    await ctx.reply(escapeHtml(ctx.t("moderation.forbidden")), html);
    return;
  }
  if (pending.length > 0) {
    await replyView(ctx, {
      text: ctx.t("moderation.queue_title", { count: pending.length }),
      keyboard: {
        inline_keyboard: pending.map((s) => {
          const brief = ctx.services.cases.brief(s.case_slug);
          const waiting = s.status === "awaiting_confirmation" ? "⏳ " : "";
          const label = `${waiting}#${s.id} ${brief ? displayName(brief.names, ctx.lang) : s.case_slug}: ${s.text.replace(/\s+/g, " ")}`;
          return [{ text: truncate(label, 60), callback_data: encode({ kind: "review", id: s.id }) }];
        }),
      },
    });
  }
  const revisions = await renderPendingRevisions(ctx);
  if (pending.length === 0 && revisions === 0) await ctx.reply(escapeHtml(ctx.t("moderation.queue_empty")), html);
});

async function changeRole(ctx: BotContext, match: string, role: "moderator" | "reader"): Promise<void> {
  if (!ctx.from) return;
  const arg = match.trim();
  const usage = role === "moderator" ? "moderation.promote_usage" : "moderation.demote_usage";
  if (!/^\d{1,16}$/.test(arg)) {
    await ctx.reply(escapeHtml(ctx.t(usage)), html);
    return;
  }
  const target = Number(arg);
  const ok = await ctx.services.moderation.setRole(ctx.from.id, target, role);
  if (ok) {
    const language = await ctx.services.users.language(target, undefined);
    await setStaffMenu(ctx.api, ctx.deps.i18n, target, language, role === "moderator").catch(() => undefined);
  }
  const key = !ok ? "moderation.admin_only" : role === "moderator" ? "moderation.promoted" : "moderation.demoted";
  await ctx.reply(escapeHtml(ctx.t(key, { id: target })), html);
}

moderateFeature.command("promote", (ctx) => changeRole(ctx, ctx.match, "moderator"));
moderateFeature.command("demote", (ctx) => changeRole(ctx, ctx.match, "reader"));

moderateFeature.command("audit", async (ctx) => {
  if (!ctx.from) return;
  const rows = await ctx.services.moderation.audit(ctx.from.id);
  if (rows === "forbidden") {
    await ctx.reply(escapeHtml(ctx.t("moderation.admin_only")), html);
    return;
  }
  if (rows.length === 0) {
    await ctx.reply(escapeHtml(ctx.t("moderation.audit_empty")), html);
    return;
  }
  const lines = rows.map(
    (r) => `${escapeHtml(r.created_at.slice(0, 16).replace("T", " "))} · <code>${r.actor_id}</code> · ${escapeHtml(r.action)} ${escapeHtml(r.target)}${r.detail ? ` · ${escapeHtml(truncate(r.detail, 80))}` : ""}`,
  );
  await ctx.reply([ctx.t("moderation.audit_title"), "", ...lines].join("\n"), html);
});

moderateFeature.command("translate", async (ctx) => {
  if (!ctx.from) return;
  const m = /^\s*#?(\d{1,12})\s+(en|ru|kk)\s+([\s\S]+)$/.exec(ctx.match.toString());
  if (!(await ctx.services.moderation.isStaff(ctx.from.id))) {
    await ctx.reply(escapeHtml(ctx.t("moderation.forbidden")), html);
    return;
  }
  if (!m || !isLang(m[2])) {
    await ctx.reply(escapeHtml(ctx.t("moderation.translate_usage")), html);
    return;
  }
  const id = Number(m[1]);
  const lang = m[2];
  const r = await ctx.services.moderation.translate(ctx.from.id, id, lang, m[3] ?? "");
  const key = r.ok
    ? "moderation.translated"
    : { forbidden: "moderation.forbidden", not_found: "moderation.translate_not_found", original: "moderation.translate_original", text_length: "moderation.translate_length" }[r.reason];
  await ctx.reply(escapeHtml(ctx.t(key, { id, lang: ctx.t(`language.name_${lang}`), min: 10, max: 2000 })), html);
});

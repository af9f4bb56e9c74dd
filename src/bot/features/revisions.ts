import { Composer } from "grammy";
import type { ConfirmResult, DiscardResult, RevertResult } from "../../services/case-admin.js";
import { STEP_PATTERN } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { type AnyContext, plain } from "../conversation/steps.js";
import { refuseUnlessStaff } from "../guards.js";
import { escapeHtml, HTML, truncate } from "../render/html.js";
import { decisionLine } from "../render/moderation.js";
import { fieldLabel, valueText } from "../render/revisions.js";
import { editView } from "../reply.js";
import { revisionView } from "../views/revisions.js";

/**
 * A second moderator's decision on whatever waits for one (a new case, an edit, a revert): the
 * Confirm/Discard buttons and /confirm; and /revert (admins), which proposes such a change.
 */

function confirmText(ctx: AnyContext, id: number, result: ConfirmResult): string {
  switch (result.type) {
    case "applied":
      return result.published ? ctx.t("moderation.approved_answer") : ctx.t("admin.confirm.applied", { id });
    case "same_moderator":
      return ctx.t(result.revision.submission_id !== null ? "moderation.same_moderator" : "admin.confirm.same_moderator");
    case "own_submission":
      return ctx.t("rules.own_submission");
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
    else await ctx.reply(escapeHtml(text), HTML);
    if (result.type === "applied" || result.type === "stale") {
      const published = result.type === "applied" ? result.published : undefined;
      const decided = published
        ? decisionLine(ctx.t, published.submission, published.followers)
        : result.type === "applied"
          ? `${plain(ctx, "admin.decided.confirmed")} <code>${actor}</code>`
          : plain(ctx, "admin.decided.stale");
      if (ctx.callbackQuery?.message) await editView(ctx, await revisionView(ctx.deps, actor, ctx.t, ctx.lang, result.revision, decided));
      // The proposer, and for an approval its author and followers, hear of it through the outbox.
      if (result.type === "applied") ctx.services.outbox.wake();
    }
    return;
  }
  // A discarded new case is deleted: its card is rendered before that, for the record in the chat.
  const before = await admin.revision(actor, id);
  const view = before && before !== "forbidden" ? await revisionView(ctx.deps, actor, ctx.t, ctx.lang, before) : undefined;
  const result = await admin.discard(id, actor);
  const text = discardText(ctx, id, result);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: short(text), show_alert: result.type !== "discarded" }).catch(() => undefined);
  else await ctx.reply(escapeHtml(text), HTML);
  if (result.type === "discarded") {
    if (ctx.callbackQuery?.message && view) {
      await editView(ctx, { text: `${view.text}\n\n${plain(ctx, "admin.decided.discarded")} <code>${actor}</code>`, keyboard: { inline_keyboard: [] } });
    }
    ctx.services.outbox.wake();
  }
}

function parseId(text: string): { id: number; rest: string } | undefined {
  const m = /^\s*#?(\d{1,12})(?:\s+([\s\S]*))?$/.exec(text);
  return m ? { id: Number(m[1]), rest: (m[2] ?? "").trim() } : undefined;
}

export const revisionsFeature = new Composer<BotContext>();

revisionsFeature.command("revert", async (ctx) => {
  if (await refuseUnlessStaff(ctx, true)) return;
  const parsed = parseId(ctx.match);
  if (!parsed || !ctx.from) {
    await ctx.reply(plain(ctx, "admin.revert.usage"), HTML);
    return;
  }
  const result = await ctx.services.caseAdmin.revert(ctx.from.id, parsed.id, parsed.rest || undefined);
  await ctx.reply(escapeHtml(revertText(ctx, parsed.id, result)), HTML);
  if (result.type === "pending") ctx.services.outbox.wake();
});

revisionsFeature.command("confirm", async (ctx) => {
  if (await refuseUnlessStaff(ctx)) return;
  const parsed = parseId(ctx.match);
  if (!parsed || parsed.rest !== "") {
    await ctx.reply(plain(ctx, "admin.confirm.usage"), HTML);
    return;
  }
  await decide(ctx, parsed.id, "confirm");
});

revisionsFeature.callbackQuery([STEP_PATTERN.confirmRevision, STEP_PATTERN.discardRevision], async (ctx) => {
  const data = ctx.callbackQuery.data;
  const confirm = STEP_PATTERN.confirmRevision.exec(data);
  const discard = STEP_PATTERN.discardRevision.exec(data);
  // The service checks the role again as it decides; this answers a forged press before any lookup.
  if (await refuseUnlessStaff(ctx)) return;
  const id = Number(confirm?.[1] ?? discard?.[1]);
  await decide(ctx, id, confirm ? "confirm" : "discard");
});


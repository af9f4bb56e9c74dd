import { Composer } from "grammy";
import { decode, encode } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { cardView } from "../views/card.js";
import { escapeHtml, truncate } from "../render/html.js";
import { displayName } from "../../wording/names.js";
import type { Rendered } from "../render/card.js";
import { editView, replyView } from "../reply.js";

async function subscriptionsView(ctx: BotContext, userId: number): Promise<Rendered> {
  const list = await ctx.services.subscriptions.list(userId);
  if (list.length === 0) return { text: ctx.t("subscribe.list_empty"), keyboard: { inline_keyboard: [] } };
  const modeLabel = (mode: string) => ctx.t(mode === "status" ? "subscribe.mode_status" : "subscribe.mode_all");
  const lines = list.map((b) => `• <b>${escapeHtml(displayName(b.names, ctx.lang))}</b> — ${escapeHtml(modeLabel(b.mode))}`);
  return {
    text: [ctx.t("subscribe.list_title", { count: list.length }), "", ...lines].join("\n"),
    keyboard: {
      inline_keyboard: list.flatMap((b) => {
        const name = displayName(b.names, ctx.lang);
        return [
          [{ text: truncate(`⚙ ${name}: ${modeLabel(b.mode === "status" ? "all" : "status")}`, 60), callback_data: encode({ kind: "mode", slug: b.slug }) }],
          [{ text: truncate(ctx.t("subscribe.unfollow_button", { name }), 60), callback_data: encode({ kind: "unfollow", slug: b.slug }) }],
        ];
      }),
    },
  };
}

/** Following cases: the card's Subscribe/Unsubscribe button and /subscriptions. */
export const followFeature = new Composer<BotContext>();

followFeature.callbackQuery(/^(s|u|us):/, async (ctx) => {
  const action = decode(ctx.callbackQuery.data);
  const userId = ctx.from.id;
  if (!action || (action.kind !== "subscribe" && action.kind !== "unsubscribe" && action.kind !== "unfollow")) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  const brief = ctx.services.cases.brief(action.slug);
  if (!brief) {
    await ctx.answerCallbackQuery({ text: ctx.t("case.gone") });
    return;
  }
  const name = displayName(brief.names, ctx.lang);
  if (action.kind === "subscribe") await ctx.services.subscriptions.subscribe(userId, action.slug, ctx.lang);
  else await ctx.services.subscriptions.unsubscribe(userId, action.slug);
  await ctx.answerCallbackQuery({ text: ctx.t(action.kind === "subscribe" ? "subscribe.done" : "subscribe.undone", { name }) });
  if (action.kind === "unfollow") {
    await editView(ctx, await subscriptionsView(ctx, userId));
    return;
  }
  const view = await cardView(ctx, action.slug, action.kind === "subscribe");
  if (view) await editView(ctx, view);
});

followFeature.callbackQuery(/^sm:/, async (ctx) => {
  const action = decode(ctx.callbackQuery.data);
  if (action?.kind !== "mode") {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  const list = await ctx.services.subscriptions.list(ctx.from.id);
  const current = list.find((b) => b.slug === action.slug);
  if (!current) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    await editView(ctx, await subscriptionsView(ctx, ctx.from.id));
    return;
  }
  const mode = current.mode === "status" ? "all" : "status";
  await ctx.services.subscriptions.setMode(ctx.from.id, action.slug, mode);
  await ctx.answerCallbackQuery({ text: ctx.t(mode === "status" ? "subscribe.mode_status" : "subscribe.mode_all") });
  await editView(ctx, await subscriptionsView(ctx, ctx.from.id));
});

followFeature.command("subscriptions", async (ctx) => {
  if (!ctx.from) return;
  await replyView(ctx, await subscriptionsView(ctx, ctx.from.id));
});

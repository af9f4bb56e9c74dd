import { Composer } from "grammy";
import { decode } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { renderTimeline } from "../render/card.js";
import { editView } from "../reply.js";
import { answerQuery, showCard } from "../views/card.js";

export const caseFeature = new Composer<BotContext>();

caseFeature.command("case", async (ctx) => {
  await answerQuery(ctx, ctx.match);
});

caseFeature.callbackQuery(/^[ct]:/, async (ctx) => {
  const action = decode(ctx.callbackQuery.data);
  if (!action || (action.kind !== "card" && action.kind !== "timeline") || !ctx.services.cases.brief(action.slug)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  await ctx.answerCallbackQuery();
  if (action.kind === "card") {
    await showCard(ctx, action.slug, "edit");
    return;
  }
  const detail = await ctx.services.cases.get(action.slug);
  if (detail) await editView(ctx, renderTimeline(ctx.t, ctx.lang, detail));
});

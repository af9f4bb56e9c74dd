import { Composer } from "grammy";
import { decode } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { renderCategories, renderCategoryPage } from "../render/lists.js";
import { editView, replyView } from "../reply.js";

export const PAGE_SIZE = 8;

async function categoriesView(ctx: BotContext) {
  const { cases } = ctx.services;
  const [counts, source] = await Promise.all([cases.categoryCounts(), cases.reportSource()]);
  return renderCategories(ctx.t, counts, source?.asOf);
}

export const listFeature = new Composer<BotContext>();

listFeature.command("list", async (ctx) => {
  await replyView(ctx, await categoriesView(ctx));
});

listFeature.callbackQuery(/^l(:|$)/, async (ctx) => {
  const action = decode(ctx.callbackQuery.data);
  if (action?.kind === "categories") {
    await ctx.answerCallbackQuery();
    await editView(ctx, await categoriesView(ctx));
    return;
  }
  if (action?.kind === "category") {
    await ctx.answerCallbackQuery();
    const page = await ctx.services.cases.listCategory(action.category, action.page, PAGE_SIZE);
    await editView(ctx, renderCategoryPage(ctx.t, ctx.lang, page));
    return;
  }
  await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
});

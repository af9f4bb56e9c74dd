import { Composer } from "grammy";
import { decode } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { type Rendered, renderCard, renderTimeline } from "../render/card.js";
import { escapeHtml } from "../render/html.js";
import { renderChoice, renderNotFound } from "../render/lists.js";
import { editView, replyView } from "../reply.js";

/** Answers a name: the card for one clear match, a choice for several, suggestions for none. */
export async function answerQuery(ctx: BotContext, query: string): Promise<void> {
  const { cases } = ctx.services;
  const found = cases.find(query);
  switch (found.type) {
    case "empty":
      await ctx.reply(ctx.t("case.ask_name"), { parse_mode: "HTML" });
      return;
    case "one":
      await showCard(ctx, found.case.slug, "reply");
      return;
    case "many":
      await replyView(ctx, renderChoice(ctx.t, ctx.lang, query, found.cases));
      return;
    case "none":
      await replyView(ctx, renderNotFound(ctx.t, ctx.lang, query, found.suggestions));
  }
}

/** Rendered cards by case revision, language and button state: rendering is most of a lookup's work. */
const renderedBy = new WeakMap<object, Map<string, Rendered>>();

export async function cardView(ctx: BotContext, slug: string, subscribed: boolean): Promise<Rendered | undefined> {
  let rendered = renderedBy.get(ctx.services.cases);
  if (!rendered) renderedBy.set(ctx.services.cases, (rendered = new Map()));
  const key = `${slug}|${ctx.services.cases.revision(slug)}|${ctx.lang}|${subscribed ? 1 : 0}`;
  const hit = rendered.get(key);
  if (hit) return hit;
  const detail = await ctx.services.cases.get(slug);
  if (!detail) return undefined;
  const view = renderCard(ctx.t, ctx.lang, detail, { subscribed });
  if (rendered.size > 2_000) rendered.clear();
  rendered.set(key, view);
  return view;
}

export async function showCard(ctx: BotContext, slug: string, how: "reply" | "edit"): Promise<void> {
  const subscribed = ctx.from ? await ctx.services.subscriptions.isSubscribed(ctx.from.id, slug) : false;
  const view = await cardView(ctx, slug, subscribed);
  if (!view) {
    await ctx.reply(escapeHtml(ctx.t("case.gone")), { parse_mode: "HTML" });
    return;
  }
  await (how === "edit" ? editView(ctx, view) : replyView(ctx, view));
}

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

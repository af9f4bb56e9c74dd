import type { BotContext } from "../context.js";
import { miniAppButton } from "../mini-app.js";
import { type Rendered, renderCard } from "../render/card.js";
import { escapeHtml, HTML } from "../render/html.js";
import { renderChoice, renderNotFound } from "../render/lists.js";
import { editView, replyView } from "../reply.js";

/** The card and the answer to a name, shared by /case, /start deep links and plain text. */

/** Answers a name: the card for one clear match, a choice for several, suggestions for none. */
export async function answerQuery(ctx: BotContext, query: string): Promise<void> {
  const { cases } = ctx.services;
  const found = cases.find(query);
  switch (found.type) {
    case "empty":
      await ctx.reply(ctx.t("case.ask_name"), HTML);
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
  const miniApp = miniAppButton(ctx, `/cases/${slug}`, ctx.t("web.miniapp.open_card"));
  const key = `${slug}|${ctx.services.cases.revision(slug)}|${ctx.lang}|${subscribed ? 1 : 0}|${miniApp ? 1 : 0}`;
  const hit = rendered.get(key);
  if (hit) return hit;
  const detail = await ctx.services.cases.get(slug);
  if (!detail) return undefined;
  const view = renderCard(ctx.t, ctx.lang, detail, { subscribed, ...(miniApp ? { miniApp } : {}) });
  if (rendered.size > 2_000) rendered.clear();
  rendered.set(key, view);
  return view;
}

export async function showCard(ctx: BotContext, slug: string, how: "reply" | "edit"): Promise<void> {
  // In a group the card is everyone's: it does not show whether the person who asked follows the case.
  const subscribed = ctx.from && ctx.chat?.type === "private" ? await ctx.services.subscriptions.isSubscribed(ctx.from.id, slug) : false;
  const view = await cardView(ctx, slug, subscribed);
  if (!view) {
    await ctx.reply(escapeHtml(ctx.t("case.gone")), HTML);
    return;
  }
  await (how === "edit" ? editView(ctx, view) : replyView(ctx, view));
}

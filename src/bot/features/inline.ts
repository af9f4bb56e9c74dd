import { Composer } from "grammy";
import type { InlineQueryResultArticle } from "grammy/types";
import type { CaseBrief } from "../../domain/case.js";
import type { BotContext } from "../context.js";
import { renderCard } from "../render/card.js";
import { escapeHtml, truncate } from "../render/html.js";
import { displayName } from "../../wording/names.js";

const MAX_RESULTS = 10;

/** Inline mode: `@bot Бокаев` in any chat offers the card to send, with a link back to the bot. */
export const inlineFeature = new Composer<BotContext>();

inlineFeature.on("inline_query", async (ctx) => {
  const query = ctx.inlineQuery.query.slice(0, 200);
  const { cases } = ctx.services;
  let briefs: CaseBrief[];
  if (query.trim() === "") briefs = cases.all().slice(0, MAX_RESULTS);
  else {
    const found = cases.find(query, MAX_RESULTS);
    briefs = found.type === "one" ? [found.case] : found.type === "many" ? found.cases : found.type === "none" ? found.suggestions : [];
  }
  const results: InlineQueryResultArticle[] = [];
  for (const brief of briefs) {
    const detail = await cases.get(brief.slug);
    if (!detail) continue;
    const card = renderCard(ctx.t, ctx.lang, detail);
    results.push({
      type: "article",
      id: brief.slug,
      title: displayName(brief.names, ctx.lang),
      description: ctx.t("inline.description", {
        category: ctx.t(`category.${brief.category}`),
        status: ctx.t(`status.${brief.status}`),
      }),
      input_message_content: { message_text: card.text, parse_mode: "HTML", link_preview_options: { is_disabled: true } },
      reply_markup: {
        inline_keyboard: [[{ text: ctx.t("button.open_in_bot"), url: `https://t.me/${ctx.me.username}?start=case_${brief.slug}` }]],
      },
    });
  }
  if (results.length === 0 && query.trim() !== "") {
    results.push({
      type: "article",
      id: "none",
      title: ctx.t("inline.no_results"),
      input_message_content: {
        message_text: escapeHtml(ctx.t("inline.no_results_text", { query: truncate(query.trim(), 60) })),
        parse_mode: "HTML",
      },
    });
  }
  await ctx.answerInlineQuery(results, { cache_time: 60, is_personal: true });
});

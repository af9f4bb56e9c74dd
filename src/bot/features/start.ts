import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { parseStart } from "../deep-links.js";
import { escapeHtml } from "../render/html.js";
import { pickText } from "../../wording/localized.js";
import { miniAppButton } from "../mini-app.js";
import { showCard } from "../views/card.js";

async function sourceTitle(ctx: BotContext): Promise<string> {
  const source = await ctx.services.cases.reportSource();
  return source ? (pickText(source.title, ctx.lang)?.text ?? source.id) : "—";
}

export const startFeature = new Composer<BotContext>();

/**
 * /start, and deep links t.me/<bot>?start=case_<slug> that open one card. Links that start news
 * (submit, news_<slug>) go on to the news feature, which works in private chats only.
 */
startFeature.command("start", async (ctx, next) => {
  const payload = parseStart(ctx.match);
  if (payload?.kind === "submit" || payload?.kind === "news") return next();
  if (payload?.kind === "case" && ctx.services.cases.brief(payload.slug)) {
    await showCard(ctx, payload.slug, "reply");
    return;
  }
  const open = miniAppButton(ctx, "/", ctx.t("web.miniapp.open"));
  await ctx.reply(ctx.t("start.welcome", { source: escapeHtml(await sourceTitle(ctx)) }), {
    parse_mode: "HTML",
    ...(open ? { reply_markup: { inline_keyboard: [[open]] } } : {}),
  });
});

startFeature.command("help", async (ctx) => {
  await ctx.reply(
    ctx.t("help.text", { source: escapeHtml(await sourceTitle(ctx)), bot: escapeHtml(ctx.me.username) }),
    { parse_mode: "HTML" },
  );
});

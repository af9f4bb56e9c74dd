import { Composer } from "grammy";
import { SLUG_PATTERN } from "../../domain/codes.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../render/html.js";
import { pickText } from "../render/localized.js";
import { miniAppButton } from "../mini-app.js";
import { showCard } from "../views/card.js";

async function sourceTitle(ctx: BotContext): Promise<string> {
  const source = await ctx.services.cases.reportSource();
  return source ? (pickText(source.title, ctx.lang)?.text ?? source.id) : "—";
}

export const startFeature = new Composer<BotContext>();

/** /start, and deep links t.me/<bot>?start=case_<slug> that open one card. */
startFeature.command("start", async (ctx) => {
  const payload = ctx.match.trim();
  const slug = payload.startsWith("case_") ? payload.slice("case_".length).replace(/_/g, "-") : "";
  if (slug !== "" && SLUG_PATTERN.test(slug) && ctx.services.cases.brief(slug)) {
    await showCard(ctx, slug, "reply");
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

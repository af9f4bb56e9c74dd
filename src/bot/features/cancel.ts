import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../render/html.js";

/**
 * /cancel ends any conversation at any step. It sits between the conversations plugin and the
 * conversations themselves, so it is seen before a waiting conversation would take the message.
 * It also tells a user whose stored draft was dropped after an update of the bot.
 */
export function cancelFeature(takeReset: (chatId: number) => boolean): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.use(async (ctx, next) => {
    if (ctx.chatId !== undefined && takeReset(ctx.chatId)) {
      await ctx.reply(escapeHtml(ctx.t("submit.reset")), { parse_mode: "HTML" });
    }
    await next();
  });
  feature.command("cancel", async (ctx) => {
    const active = Object.keys(ctx.conversation.active()).length > 0;
    await ctx.conversation.exitAll();
    await ctx.reply(escapeHtml(ctx.t(active ? "cancel.done" : "cancel.nothing")), { parse_mode: "HTML" });
  });
  return feature;
}

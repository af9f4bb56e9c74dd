import { Composer } from "grammy";
import type { DropReason } from "../conversation-storage.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../render/html.js";

/**
 * /cancel ends any conversation at any step. It sits between the conversations plugin and the
 * conversations themselves, so it is seen before a waiting conversation would take the message.
 * It also tells a user whose stored draft was dropped after an update of the bot.
 */
export function cancelFeature(takeReset: (ctx: BotContext) => DropReason | undefined): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.use(async (ctx, next) => {
    const reason = takeReset(ctx);
    if (reason !== undefined) {
      const key = reason === "version" ? "submit.reset" : reason === "corrupt" ? "limits.draft_corrupt" : "limits.draft_expired";
      await ctx.reply(escapeHtml(ctx.t(key)), { parse_mode: "HTML" });
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

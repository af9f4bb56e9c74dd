import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../render/html.js";
import { answerQuery } from "../views/card.js";

/** Last in line: plain text in a private chat is a name; anything else gets a pointer to /help. */
export const fallbackFeature = new Composer<BotContext>();

const privateChat = fallbackFeature.chatType("private");

privateChat.on("message:text", async (ctx) => {
  if (ctx.msg.text.startsWith("/")) {
    await ctx.reply(escapeHtml(ctx.t("errors.unknown_command")), { parse_mode: "HTML" });
    return;
  }
  await answerQuery(ctx, ctx.msg.text);
});

fallbackFeature.on("callback_query:data", async (ctx) => {
  await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
});

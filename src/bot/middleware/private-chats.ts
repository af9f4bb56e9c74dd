import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { decode } from "../callback-data.js";
import { PRIVATE_CHAT_COMMANDS } from "../commands.js";
import type { BotContext } from "../context.js";
import { START, startUrl } from "../deep-links.js";
import { escapeHtml, HTML } from "../render/html.js";

/**
 * The line between what works in groups and what works in private chats only. Everything installed
 * after it (submissions, following, moderation, case administration, every staff command) never runs
 * in a group: there, other members would read a submitter's news and id or the pending queue, and
 * could answer questions the bot asked someone else. In a group:
 * - such a command is answered with a button that opens the private chat (/submit goes on there);
 * - a reader's button on a card opens the private chat: Send news starts the news for that person,
 *   Subscribe opens the card (notices come to the private chat, so it has to exist);
 * - any other button (a moderator's, or forged) is refused and does nothing.
 * Other messages go on; the features after this answer private chats only.
 */
export function privateChatsOnly(): Composer<BotContext> {
  const gate = new Composer<BotContext>();
  const groups = gate.filter((ctx) => ctx.chat !== undefined && ctx.chat.type !== "private");

  groups.on("callback_query:data", async (ctx) => {
    const action = decode(ctx.callbackQuery.data);
    const payload =
      action?.kind === "news" ? START.news(action.slug) : action?.kind === "subscribe" || action?.kind === "unsubscribe" ? START.case(action.slug) : undefined;
    if (payload !== undefined) await ctx.answerCallbackQuery({ url: startUrl(ctx.me.username, payload) });
    else await ctx.answerCallbackQuery({ text: ctx.t("private_chat.only"), show_alert: true });
  });

  groups.on("message:text", async (ctx, next) => {
    const command = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s|$)/.exec(ctx.msg.text);
    const name = command?.[1]?.toLowerCase();
    const addressee = command?.[2];
    // A command for another bot in the group, or one we do not have, is not ours to answer.
    if (name === undefined || (addressee !== undefined && addressee.toLowerCase() !== ctx.me.username.toLowerCase())) return next();
    // /start reaches this line only with a payload that goes on in private (news for a person).
    if (name === "start") return replyWithPrivateChat(ctx, ctx.msg.text.slice(command![0].length).trim());
    if (!(PRIVATE_CHAT_COMMANDS as readonly string[]).includes(name)) return next();
    await replyWithPrivateChat(ctx, name === "submit" ? START.submit : undefined);
  });

  return gate;
}

/** "This works in a private chat" with the button that opens it. */
export async function replyWithPrivateChat(ctx: BotContext, payload?: string): Promise<void> {
  const open: InlineKeyboardButton = { text: ctx.t("private_chat.open"), url: startUrl(ctx.me.username, payload) };
  await ctx.reply(escapeHtml(ctx.t("private_chat.only")), { ...HTML, reply_markup: { inline_keyboard: [[open]] } });
}

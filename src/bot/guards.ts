import type { BotContext } from "./context.js";
import { replyWithPrivateChat } from "./middleware/private-chats.js";
import { escapeHtml, HTML } from "./render/html.js";

/**
 * The first check of every staff command and button, before anything is done or said; services check
 * the role again as they act. Staff work runs in private chats only (middleware/private-chats.ts keeps
 * groups out before any staff feature; this repeats it where the work starts).
 * Returns true when the update was refused (and answered).
 */
export async function refuseUnlessStaff(ctx: BotContext, adminOnly = false): Promise<boolean> {
  if (!ctx.from) return true;
  if (ctx.chat?.type !== "private") {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("private_chat.only"), show_alert: true });
    else await replyWithPrivateChat(ctx);
    return true;
  }
  const role = await ctx.services.roles.roleOf(ctx.from.id);
  const ok = adminOnly ? role === "admin" : role !== "reader";
  if (ok) return false;
  const key = adminOnly && role !== "reader" ? "moderation.admin_only" : "moderation.forbidden";
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t(key), show_alert: true });
  else await ctx.reply(escapeHtml(ctx.t(key)), HTML);
  return true;
}

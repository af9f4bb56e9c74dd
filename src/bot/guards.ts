import type { BotContext } from "./context.js";
import { escapeHtml, HTML } from "./render/html.js";

/**
 * The first check of every staff command and button, before anything is done or said; services check
 * the role again as they act. Staff work runs in private chats only: in a group, other members'
 * messages would be taken as answers and submitters' details would be shown to the group.
 * Returns true when the update was refused (and answered).
 */
export async function refuseUnlessStaff(ctx: BotContext, adminOnly = false): Promise<boolean> {
  if (!ctx.from) return true;
  if (ctx.chat?.type !== "private") {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("admin.private_only"), show_alert: true });
    else await ctx.reply(escapeHtml(ctx.t("admin.private_only")), HTML);
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

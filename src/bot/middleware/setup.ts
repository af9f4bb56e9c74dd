import type { Context, MiddlewareFn } from "grammy";
import { detectLanguage } from "../../services/users.js";
import type { AppFlavor, BotDeps } from "../context.js";

/** Installs the dependencies, a per-update logger and the reader's language on the context. */
export function setup<C extends Context & AppFlavor>(deps: BotDeps): MiddlewareFn<C> {
  return async (ctx, next) => {
    ctx.deps = deps;
    ctx.services = deps.services;
    ctx.log = deps.logger.child({ update_id: ctx.update.update_id });
    // Telegram's language first: if the database fails below, the error boundary still answers in it.
    ctx.lang = detectLanguage(ctx.from?.language_code);
    ctx.t = deps.i18n.t(ctx.lang);
    ctx.lang = await deps.services.users.language(ctx.from?.id, ctx.from?.language_code);
    ctx.t = deps.i18n.t(ctx.lang);
    if (ctx.from && (ctx.message || ctx.callbackQuery)) await deps.services.users.seen(ctx.from.id);
    await next();
  };
}

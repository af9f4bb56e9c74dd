import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotError, type Context, GrammyError, HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { BotContext, BotDeps, ConvContext } from "./context.js";
import { caseFeature } from "./features/case.js";
import { fallbackFeature } from "./features/fallback.js";
import { inlineFeature } from "./features/inline.js";
import { languageFeature } from "./features/language.js";
import { listFeature } from "./features/list.js";
import { startFeature } from "./features/start.js";
import { statsFeature } from "./features/stats.js";
import { setup } from "./middleware/setup.js";
import { privateChatsOnly } from "./middleware/private-chats.js";
import { chatRateLimits, inlineRateLimit, type RateLimits } from "./middleware/rate-limit.js";
import { isDatabaseError } from "../services/database-errors.js";
import { conversations } from "@grammyjs/conversations";
import { ConversationStateTooLarge, conversationStorage } from "./conversation-storage.js";
import { cancelFeature } from "./features/cancel.js";
import { editCaseFeature } from "./features/edit-case.js";
import { historyFeature } from "./features/history.js";
import { newCaseFeature } from "./features/new-case.js";
import { queueFeature } from "./features/queue.js";
import { revisionsFeature } from "./features/revisions.js";
import { staffRolesFeature } from "./features/staff-roles.js";
import { translationsFeature } from "./features/translations.js";
import { followFeature } from "./features/follow.js";
import { forgetFeature } from "./features/forget.js";
import { moderateFeature } from "./features/moderate.js";
import { submitFeature } from "./features/submit.js";
import { staleFeature } from "./features/stale.js";
import type { SendBudget } from "../services/notifications/budget.js";
import { budgetedFetch } from "./send-budget.js";

export interface BotOptions {
  apiRoot?: string;
  botInfo?: UserFromGetMe;
  /** Lets tests capture every outgoing call; production leaves it unset. */
  fetch?: typeof fetch;
  rateLimits?: RateLimits;
  /** The send budget replies draw from (createApp passes the process's one); none: unpaced. */
  budget?: SendBudget;
}

/** Logs a failed update and tells the person, if it can, that it was our fault. */
async function onError(err: BotError<BotContext>): Promise<void> {
  const ctx = err.ctx;
  const log = ctx.log ?? ctx.deps?.logger;
  const cause = err.error;
  const fields =
    cause instanceof GrammyError
      ? { method: cause.method, error_code: cause.error_code, description: cause.description }
      : cause instanceof HttpError
        ? { http: cause.message }
        : { err: cause };
  log?.error("update failed", fields);
  const t = ctx.t;
  if (t === undefined) return;
  // A conversation whose step failed could hang waiting (grammyjs/conversations#155): end it, and say so.
  let ended = false;
  try {
    if (ctx.conversation && Object.keys(ctx.conversation.active()).length > 0) {
      await ctx.conversation.exitAll();
      ended = true;
    }
  } catch {
    // nothing more to end
  }
  try {
    // A database outage is not the reader's fault nor a bug: say when to come back.
    const unavailable = isDatabaseError(cause);
    const text = unavailable
      ? t("limits.unavailable")
      : cause instanceof ConversationStateTooLarge
        ? t("limits.draft_too_large")
        : t(ended ? "errors.conversation_ended" : "errors.generic");
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: unavailable ? text : t("errors.generic") }).catch(() => undefined);
    if (ctx.chat?.type === "private" && (ended || !ctx.callbackQuery)) await ctx.reply(text);
  } catch {
    // Telegram itself may be what failed; the error is logged above.
  }
}

export function createBot(token: string, deps: BotDeps, options: BotOptions = {}): Bot<BotContext> {
  const client: NonNullable<ConstructorParameters<typeof Bot<Context>>[1]>["client"] = {};
  if (options.apiRoot) client.apiRoot = options.apiRoot;
  if (options.fetch) client.fetch = options.fetch as never;
  // Every request of the bot, inside conversations too, goes through the send budget's client.
  if (options.budget) client.fetch = budgetedFetch(options.budget, options.fetch) as never;
  const bot = new Bot<BotContext>(token, { client, ...(options.botInfo ? { botInfo: options.botInfo } : {}) });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10 }));

  // One chat's updates in order, different chats in parallel (the runner is concurrent).
  bot.use(sequentialize((ctx: Context) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));
  const features = bot.errorBoundary(onError);
  // Inside the boundary: a database that fails while reading the reader's language still gets them a reply.
  features.use(setup(deps));
  // Inline queries have no chat: they are answered before anything that keys state by chat.
  features.use(inlineRateLimit(options.rateLimits), inlineFeature);
  const inChat = features.filter((ctx) => ctx.chatId !== undefined);
  const convo = conversationStorage(deps.db);
  // Inside conversations the context is rebuilt: our flavour and auto-retry are installed again there
  // (bot.api's transformers do not reach it; the client, and so the send budget, does).
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 10 });
  const innerRetry = async (ctx: ConvContext, next: () => Promise<void>) => {
    ctx.api.config.use(retry);
    await next();
  };
  inChat.use(conversations({ storage: convo.storage, plugins: [innerRetry, setup<ConvContext>(deps)] }));
  inChat.use(cancelFeature(convo.takeReset));
  // After the conversations: an answer to a waiting step is not a lookup.
  inChat.use(chatRateLimits(options.rateLimits));
  // Cards, lists, figures and the language work in groups too…
  inChat.use(startFeature, caseFeature, listFeature, statsFeature, languageFeature);
  // …everything after this line works in private chats only (a group gets a button that opens one).
  inChat.use(privateChatsOnly());
  inChat.use(followFeature, forgetFeature, submitFeature);
  // Staff: submissions' decisions, the queue, roles, then the case desk (/editcase before /translations, which enters it).
  inChat.use(moderateFeature, queueFeature, staffRolesFeature, newCaseFeature, editCaseFeature, historyFeature, revisionsFeature, translationsFeature, staleFeature);
  inChat.use(fallbackFeature);
  bot.catch((err) => deps.logger.error("unhandled bot error", { err: err.error }));
  return bot;
}

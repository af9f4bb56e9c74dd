import { limit } from "@grammyjs/ratelimiter";
import { Composer, type Context } from "grammy";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../render/html.js";

/**
 * Per-user limits, per process (@grammyjs/ratelimiter's memory store: a fixed window per user).
 * One process takes a bot's updates (polling, or the webhook's one URL), so one process sees all of
 * a user's updates; several processes behind one webhook would each count their share.
 */
export interface RateLimits {
  /** /case, a name typed in a private chat, card and timeline buttons. */
  lookups: { limit: number; windowMs: number };
  inline: { limit: number; windowMs: number };
  /** Starting news: /submit and the card's "Send news" button. */
  submissions: { limit: number; windowMs: number };
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  lookups: { limit: 20, windowMs: 60_000 },
  // Telegram sends an inline query as the person types: a name is several queries.
  inline: { limit: 60, windowMs: 60_000 },
  submissions: { limit: 10, windowMs: 60 * 60_000 },
};

const userKey = (ctx: Context) => ctx.from?.id.toString();

function isLookup(ctx: Context): boolean {
  const text = ctx.message?.text;
  if (text !== undefined) {
    if (ctx.hasCommand("case")) return true;
    return ctx.chat?.type === "private" && !text.startsWith("/");
  }
  return /^[ct]:/.test(ctx.callbackQuery?.data ?? "");
}

function isSubmissionStart(ctx: Context): boolean {
  return ctx.hasCommand("submit") || /^n:/.test(ctx.callbackQuery?.data ?? "");
}

/** Tells the person once per window, in their language; further updates in that window are dropped quietly. */
async function tellLimited(ctx: BotContext, key: "limits.lookups" | "limits.submissions", windowMs: number): Promise<void> {
  const text = ctx.t(key, { minutes: Math.max(1, Math.ceil(windowMs / 60_000)) });
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(escapeHtml(text), { parse_mode: "HTML" });
}

/** Chat updates: lookups and submissions. Runs after the conversations, so answers to a waiting step are not counted. */
export function chatRateLimits(limits: RateLimits = DEFAULT_RATE_LIMITS): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.filter(
    isLookup,
    limit<BotContext, never>({
      limit: limits.lookups.limit,
      timeFrame: limits.lookups.windowMs,
      keyGenerator: userKey,
      onLimitExceeded: (ctx) => tellLimited(ctx, "limits.lookups", limits.lookups.windowMs).catch(() => undefined),
    }),
  );
  c.filter(
    isSubmissionStart,
    limit<BotContext, never>({
      limit: limits.submissions.limit,
      timeFrame: limits.submissions.windowMs,
      keyGenerator: userKey,
      onLimitExceeded: (ctx) => tellLimited(ctx, "limits.submissions", limits.submissions.windowMs).catch(() => undefined),
    }),
  );
  return c;
}

/** Inline queries: every query over the limit gets one article saying to wait (the person sees no spinner). */
export function inlineRateLimit(limits: RateLimits = DEFAULT_RATE_LIMITS): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on(
    "inline_query",
    limit<BotContext, never>({
      limit: limits.inline.limit,
      timeFrame: limits.inline.windowMs,
      keyGenerator: userKey,
      alwaysReply: true,
      onLimitExceeded: (ctx) =>
        ctx
          .answerInlineQuery(
            [
              {
                type: "article",
                id: "limited",
                title: ctx.t("limits.inline_title"),
                input_message_content: { message_text: escapeHtml(ctx.t("limits.inline")), parse_mode: "HTML" },
              },
            ],
            { cache_time: 0, is_personal: true },
          )
          .catch(() => undefined),
    }),
  );
  return c;
}

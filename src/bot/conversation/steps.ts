import type { Conversation } from "@grammyjs/conversations";
import type { InlineKeyboardButton } from "grammy/types";
import type { Translate } from "../../i18n.js";
import type { FindResult } from "../../services/cases.js";
import { SLUG_PATTERN } from "../../domain/codes.js";
import { fits } from "../callback-data.js";
import type { BotContext, ConvContext } from "../context.js";
import { escapeHtml, HTML, truncate } from "../render/html.js";
import { displayName } from "../../wording/names.js";

/**
 * The steps conversations share: a text answer with limits, a choice of buttons, an optional answer
 * with Skip, the person a conversation is about, and the role check a staff conversation repeats.
 * Conversations are replayed from the top on every update: what reads the database stays in external().
 */

export type AppConversation = Conversation<BotContext, ConvContext>;
export type AnyContext = BotContext | ConvContext;

export function plain(ctx: AnyContext, key: string, options?: Record<string, unknown>): string {
  return escapeHtml(ctx.t(key, options));
}

export function rows(buttons: InlineKeyboardButton[], perRow: number): InlineKeyboardButton[][] {
  const out: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) out.push(buttons.slice(i, i + perRow));
  return out;
}

/** Buttons for a closed vocabulary (categories, roles, statuses), labelled in the reader's language. */
export function codeButtons(t: Translate, codes: readonly string[], prefix: "category" | "role" | "status", data: (code: string) => string, perRow: number): InlineKeyboardButton[][] {
  return rows(codes.map((code) => ({ text: truncate(t(`${prefix}.${code}`), 60), callback_data: data(code) })), perRow);
}

/** The role check each staff step repeats: a demoted moderator's half-finished conversation ends at the next answer. */
export async function stillStaff(conversation: AppConversation, ctx: ConvContext, actor: number): Promise<boolean> {
  const from = ctx.from?.id;
  const ok = from === actor && (await conversation.external((outer) => outer.services.roles.isStaff(actor)));
  if (!ok) {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("moderation.forbidden"), show_alert: true }).catch(() => undefined);
    await ctx.reply(plain(ctx, "moderation.forbidden"), HTML);
  }
  return ok;
}

/**
 * Answers one step takes that it cannot use (a wrong length, a command, a bad link, a name nobody has)
 * before it gives up: each is kept in the conversation's stored state until the step ends.
 */
export const MAX_WRONG_ANSWERS = 5;

/** Counts one step's unusable answers; the last one ends the conversation, and says so. */
export class Strikes {
  private count = 0;
  constructor(private readonly conversation: AppConversation) {}

  async wrong(answer: ConvContext): Promise<void> {
    if (++this.count < MAX_WRONG_ANSWERS) return;
    await answer.reply(plain(answer, "limits.too_many_wrong", { count: MAX_WRONG_ANSWERS }), HTML);
    await this.conversation.halt();
  }
}

export async function pressButton(c: ConvContext): Promise<void> {
  if (c.callbackQuery) await c.answerCallbackQuery({ text: c.t("errors.stale_button") }).catch(() => undefined);
  await c.reply(plain(c, "admin.press_button"), HTML);
}

export interface TextKeys {
  /** Said when something other than text arrives. */
  textOnly: string;
  /** Said when a command other than /cancel arrives. */
  noCommands: string;
}

export const DESK_KEYS: TextKeys = { textOnly: "admin.text_only", noCommands: "admin.no_commands" };
export const SUBMIT_KEYS: TextKeys = { textOnly: "submit.text_only", noCommands: "submit.no_commands" };

/** A text answer; commands other than /cancel (handled before us) get a reminder, not an answer. */
export async function waitText(conversation: AppConversation, keys: TextKeys = DESK_KEYS, strikes = new Strikes(conversation)): Promise<ConvContext> {
  for (;;) {
    const answer = await conversation.waitFor("message:text", {
      otherwise: async (c) => {
        if (c.callbackQuery) await c.answerCallbackQuery({ text: c.t("errors.stale_button") }).catch(() => undefined);
        await c.reply(plain(c, keys.textOnly), HTML);
      },
    });
    if (!answer.message?.text.startsWith("/")) return answer;
    await answer.reply(plain(answer, keys.noCommands), HTML);
    await strikes.wrong(answer);
  }
}

/**
 * A text answer checked by `check`: asked again, with `refusal`'s words, until it passes. `guard`
 * (the role check of staff conversations) ends the step with undefined.
 */
export async function askText<T>(
  conversation: AppConversation,
  check: (text: string) => T | undefined,
  refusal: (answer: ConvContext, text: string) => string,
  opts: { keys?: TextKeys; guard?: (answer: ConvContext) => Promise<boolean> } = {},
): Promise<{ ctx: ConvContext; value: T } | undefined> {
  const strikes = new Strikes(conversation);
  for (;;) {
    const answer = await waitText(conversation, opts.keys, strikes);
    if (opts.guard && !(await opts.guard(answer))) return undefined;
    const text = answer.message?.text ?? "";
    const value = check(text);
    if (value !== undefined) return { ctx: answer, value };
    await answer.reply(refusal(answer, text), HTML);
    await strikes.wrong(answer);
  }
}

/**
 * An optional answer: `prompt` is sent with a Skip button; a text that `check` accepts, or Skip (null).
 * Anything else gets `refusal` (or nothing, when it returns undefined) and the question stands. The
 * hearing date, the reason of a rejection and a submission's source link are asked this way.
 */
export async function askOptional<T>(
  conversation: AppConversation,
  ctx: ConvContext,
  prompt: { text: string; skipData: string },
  check: (text: string) => T | undefined,
  refusal: (answer: ConvContext) => { reply?: string; answer?: string },
): Promise<{ ctx: ConvContext; value: T | null }> {
  await ctx.reply(prompt.text, { ...HTML, reply_markup: { inline_keyboard: [[{ text: ctx.t("button.skip"), callback_data: prompt.skipData }]] } });
  const strikes = new Strikes(conversation);
  for (;;) {
    const answer = await conversation.wait();
    if (answer.callbackQuery?.data === prompt.skipData) return { ctx: answer, value: null };
    const text = answer.message?.text;
    const value = text !== undefined && !text.startsWith("/") ? check(text) : undefined;
    if (value !== undefined) return { ctx: answer, value };
    const said = refusal(answer);
    if (answer.callbackQuery) await answer.answerCallbackQuery(said.answer ? { text: said.answer } : {}).catch(() => undefined);
    if (said.reply) await answer.reply(said.reply, HTML);
    await strikes.wrong(answer);
  }
}

/** A button press matching `pattern`; the keyboard is replaced by the choice, so the prompt reads as answered. */
export async function waitChoice(conversation: AppConversation, pattern: RegExp, prompt: string, label: (code: string) => string | undefined): Promise<{ ctx: ConvContext; code: string }> {
  const strikes = new Strikes(conversation);
  for (;;) {
    const picked = await conversation.waitForCallbackQuery(pattern, { otherwise: pressButton });
    const code = pattern.exec(picked.callbackQuery.data)?.[1];
    const shown = code === undefined ? undefined : label(code);
    if (code === undefined || shown === undefined) {
      await picked.answerCallbackQuery({ text: picked.t("errors.stale_button") });
      await strikes.wrong(picked);
      continue;
    }
    await picked.answerCallbackQuery();
    await picked.editMessageText(`${prompt}\n→ <b>${escapeHtml(shown)}</b>`, { ...HTML, reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
    return { ctx: picked, code };
  }
}

export interface PersonStep {
  keys: TextKeys & { ask: string; choose: string; notFound: string };
  /** Callback data of a person's button, and the pattern that reads the slug back. */
  pick: (slug: string) => string;
  pattern: RegExp;
  /** How a press outside the choice is answered. */
  otherwise: (c: ConvContext) => Promise<unknown>;
  guard?: (answer: ConvContext) => Promise<boolean>;
}

/**
 * The person a conversation is about: from `start` (a name), else by asking; a choice when several
 * match, the closest names when none does. Undefined when `guard` ended it.
 */
export async function askPerson(conversation: AppConversation, ctx: ConvContext, start: string, step: PersonStep): Promise<string | undefined> {
  let query = start.trim();
  let current = ctx;
  const strikes = new Strikes(conversation);
  for (;;) {
    if (query === "") {
      await current.reply(plain(current, step.keys.ask), HTML);
      const answer = await waitText(conversation, step.keys, strikes);
      if (step.guard && !(await step.guard(answer))) return undefined;
      current = answer;
      query = answer.message?.text ?? "";
    }
    const q = query;
    const found = await conversation.external((outer): FindResult => outer.services.cases.find(q));
    if (found.type === "one") return found.case.slug;
    if (found.type === "many") {
      const choices = found.cases.filter((c) => fits(step.pick(c.slug)));
      await current.reply(plain(current, step.keys.choose), {
        ...HTML,
        reply_markup: { inline_keyboard: choices.map((c) => [{ text: truncate(displayName(c.names, current.lang), 60), callback_data: step.pick(c.slug) }]) },
      });
      const picked = await conversation.waitForCallbackQuery(step.pattern, { otherwise: step.otherwise });
      await picked.answerCallbackQuery();
      if (step.guard && !(await step.guard(picked))) return undefined;
      const slug = step.pattern.exec(picked.callbackQuery.data)?.[1];
      if (slug && SLUG_PATTERN.test(slug)) return slug;
      current = picked;
    } else {
      await current.reply(plain(current, step.keys.notFound, { query: truncate(q.trim(), 60) }), HTML);
      await strikes.wrong(current);
    }
    query = "";
  }
}

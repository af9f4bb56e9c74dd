import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { MAX_PENDING_PER_AUTHOR, parseSourceUrl, TEXT_MAX, TEXT_MIN, textLength } from "../../domain/rules.js";
import { decode, STEP, STEP_PATTERN } from "../callback-data.js";
import type { BotContext, ConvContext } from "../context.js";
import { type AppConversation, askOptional, askPerson, askText, SUBMIT_KEYS } from "../conversation/steps.js";
import { CONVERSATION } from "../conversation/ids.js";
import { parseStart } from "../deep-links.js";
import { escapeHtml, HTML } from "../render/html.js";
import { renderPreview } from "../render/moderation.js";
import { displayName } from "../../wording/names.js";

type SubmitConversation = AppConversation;

const SHOW_ID = STEP.submitShowId;
const ANONYMOUS = STEP.submitAnonymous;
const SEND = STEP.submitSend;
const CANCEL = STEP.submitCancel;

/** The news itself: TEXT_MIN..TEXT_MAX, counted in UTF-16 units as Telegram counts them. */
async function askNews(conversation: SubmitConversation, ctx: ConvContext, name: string): Promise<string> {
  await ctx.reply(ctx.t("submit.ask_text", { name: escapeHtml(name), min: TEXT_MIN, max: TEXT_MAX }), HTML);
  const answer = await askText(
    conversation,
    (text) => {
      const length = textLength(text.trim());
      return length >= TEXT_MIN && length <= TEXT_MAX ? text : undefined;
    },
    (c, text) => escapeHtml(c.t("submit.text_length", { length: textLength(text.trim()), min: TEXT_MIN, max: TEXT_MAX })),
    { keys: SUBMIT_KEYS },
  );
  return answer!.value;
}

async function askSource(conversation: SubmitConversation, ctx: ConvContext): Promise<string | null> {
  const { ctx: answer, value } = await askOptional(
    conversation,
    ctx,
    { text: escapeHtml(ctx.t("submit.ask_source")), skipData: STEP.submitSkip },
    parseSourceUrl,
    (c) => ({ reply: escapeHtml(c.t("submit.bad_url")) }),
  );
  if (value === null) await answer.answerCallbackQuery();
  return value;
}

async function askAnonymity(conversation: SubmitConversation, ctx: ConvContext): Promise<boolean> {
  await ctx.reply(escapeHtml(ctx.t("submit.ask_anonymous")), {
    ...HTML,
    reply_markup: {
      inline_keyboard: [[
        { text: ctx.t("button.show_id"), callback_data: SHOW_ID },
        { text: ctx.t("button.anonymous"), callback_data: ANONYMOUS },
      ]],
    },
  });
  const answer = await conversation.waitForCallbackQuery([SHOW_ID, ANONYMOUS], {
    otherwise: (c) => c.reply(escapeHtml(c.t("submit.ask_anonymous")), HTML),
  });
  await answer.answerCallbackQuery();
  return answer.callbackQuery.data === ANONYMOUS;
}

/**
 * /submit: person → text → source or Skip → anonymity → preview → Send. Replayed from the top on every update,
 * so database work stays inside conversation.external(). /cancel works at every step.
 */
export async function submitConversation(conversation: SubmitConversation, ctx: ConvContext, start: { slug?: string; query?: string } = {}) {
  const authorId = ctx.from?.id;
  if (authorId === undefined) return;
  const slug =
    start.slug ??
    (await askPerson(conversation, ctx, start.query ?? "", {
      keys: { ...SUBMIT_KEYS, ask: "submit.ask_person", choose: "submit.choose_person", notFound: "submit.not_found" },
      pick: STEP.submitPerson,
      pattern: STEP_PATTERN.submitPerson,
      otherwise: (c) => c.reply(escapeHtml(c.t("submit.choose_person")), HTML),
    }));
  if (slug === undefined) return;
  const brief = await conversation.external((outer) => outer.services.cases.brief(slug) ?? null);
  if (!brief) {
    await ctx.reply(escapeHtml(ctx.t("case.gone")), HTML);
    return;
  }
  const pending = await conversation.external((outer) => outer.services.moderation.pendingCount(authorId));
  if (pending >= MAX_PENDING_PER_AUTHOR) {
    await ctx.reply(escapeHtml(ctx.t("submit.limit", { count: pending })), HTML);
    return;
  }
  const name = displayName(brief.names, ctx.lang);
  const text = await askNews(conversation, ctx, name);
  const source = await askSource(conversation, ctx);
  const anonymous = await askAnonymity(conversation, ctx);

  const preview = await ctx.reply(renderPreview(ctx.t, name, text, source, anonymous), {
    ...HTML,
    link_preview_options: { is_disabled: true },
    reply_markup: {
      inline_keyboard: [[
        { text: ctx.t("button.send"), callback_data: SEND },
        { text: ctx.t("button.cancel"), callback_data: CANCEL },
      ]],
    },
  });
  const choice = await conversation.waitForCallbackQuery([SEND, CANCEL], {
    otherwise: (c) => c.reply(escapeHtml(c.t("submit.press_button")), HTML),
  });
  await choice.answerCallbackQuery();
  const close = (key: string) =>
    choice.api.editMessageReplyMarkup(preview.chat.id, preview.message_id, { reply_markup: { inline_keyboard: [] } }).catch(() => undefined).then(() =>
      choice.reply(escapeHtml(choice.t(key)), HTML),
    );
  if (choice.callbackQuery.data === CANCEL) {
    await close("submit.cancelled");
    return;
  }
  const lang = ctx.lang;
  const result = await conversation.external(async (outer) => {
    const r = await outer.services.moderation.submit({ caseSlug: slug, authorId, authorLang: lang, text, sourceUrl: source, anonymous });
    // The moderators' copies are outbox rows written with the submission.
    if (r.ok) outer.services.outbox.wake();
    return r;
  });

  if (result.ok) await close("submit.sent");
  else if (result.reason === "limit") await choice.reply(escapeHtml(choice.t("submit.limit", { count: MAX_PENDING_PER_AUTHOR })), HTML);
  else await close("submit.failed");
}

export const submitFeature = new Composer<BotContext>();

submitFeature.use(createConversation(submitConversation, { id: CONVERSATION.submit }));

submitFeature.command("submit", async (ctx) => {
  await ctx.conversation.enter(CONVERSATION.submit, { query: ctx.match.slice(0, 200) });
});

/** The button a group got for /submit or Send news opens the private chat with /start submit or news_<slug>. */
submitFeature.command("start", async (ctx, next) => {
  const payload = parseStart(ctx.match);
  if (payload?.kind === "submit") return ctx.conversation.enter(CONVERSATION.submit, {});
  if (payload?.kind === "news" && ctx.services.cases.brief(payload.slug)) return ctx.conversation.enter(CONVERSATION.submit, { slug: payload.slug });
  if (payload?.kind === "news") return ctx.conversation.enter(CONVERSATION.submit, {});
  return next();
});

submitFeature.callbackQuery(/^n:/, async (ctx) => {
  const action = decode(ctx.callbackQuery.data);
  if (action?.kind !== "news" || !ctx.services.cases.brief(action.slug)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  await ctx.answerCallbackQuery();
  await ctx.conversation.enter(CONVERSATION.submit, { slug: action.slug });
});


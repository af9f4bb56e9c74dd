import { type Conversation, createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { SLUG_PATTERN } from "../../domain/codes.js";
import { MAX_PENDING_PER_AUTHOR, parseSourceUrl, TEXT_MAX, TEXT_MIN } from "../../services/moderation.js";
import type { FindResult } from "../../services/cases.js";
import { decode } from "../callback-data.js";
import type { BotContext, ConvContext } from "../context.js";
import { escapeHtml, truncate } from "../render/html.js";
import { renderPreview } from "../render/moderation.js";
import { displayName } from "../render/names.js";
import { notifyStaff } from "../staff.js";

type SubmitConversation = Conversation<BotContext, ConvContext>;

export const SUBMIT = "submit";
const PICK = /^sbp:([a-z0-9-]+)$/;
const SKIP = "sb:skip";
const SHOW_ID = "sb:id";
const ANONYMOUS = "sb:anon";
const SEND = "sb:send";
const CANCEL = "sb:cancel";

const html = { parse_mode: "HTML" as const };

/** Finds the person the news is about: from the start argument, else by asking; a choice when several match. */
async function askPerson(conversation: SubmitConversation, ctx: ConvContext, start: { slug?: string; query?: string }): Promise<string> {
  if (start.slug) return start.slug;
  let query = start.query?.trim() ?? "";
  for (;;) {
    if (query === "") {
      await ctx.reply(escapeHtml(ctx.t("submit.ask_person")), html);
      const answer = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(escapeHtml(c.t("submit.text_only")), html) });
      query = answer.message.text;
      if (query.startsWith("/")) {
        await answer.reply(escapeHtml(answer.t("submit.no_commands")), html);
        query = "";
        continue;
      }
    }
    const q = query;
    const found = await conversation.external((outer): FindResult => outer.services.cases.find(q));
    if (found.type === "one") return found.case.slug;
    if (found.type === "many") {
      await ctx.reply(escapeHtml(ctx.t("submit.choose_person")), {
        ...html,
        reply_markup: {
          inline_keyboard: found.cases.map((c) => [{ text: truncate(displayName(c.names, ctx.lang), 60), callback_data: `sbp:${c.slug}` }]),
        },
      });
      const picked = await conversation.waitForCallbackQuery(PICK, { otherwise: (c) => c.reply(escapeHtml(c.t("submit.choose_person")), html) });
      await picked.answerCallbackQuery();
      const slug = PICK.exec(picked.callbackQuery.data)?.[1];
      if (slug && SLUG_PATTERN.test(slug)) return slug;
    } else {
      await ctx.reply(escapeHtml(ctx.t("submit.not_found", { query: truncate(q.trim(), 60) })), html);
    }
    query = "";
  }
}

async function askText(conversation: SubmitConversation, ctx: ConvContext, name: string): Promise<string> {
  await ctx.reply(ctx.t("submit.ask_text", { name: escapeHtml(name), min: TEXT_MIN, max: TEXT_MAX }), html);
  for (;;) {
    const answer = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(escapeHtml(c.t("submit.text_only")), html) });
    const text = answer.message.text;
    if (text.startsWith("/")) {
      await answer.reply(escapeHtml(answer.t("submit.no_commands")), html);
      continue;
    }
    const length = [...text.trim()].length;
    if (length >= TEXT_MIN && length <= TEXT_MAX) return text;
    await answer.reply(escapeHtml(answer.t("submit.text_length", { length, min: TEXT_MIN, max: TEXT_MAX })), html);
  }
}

async function askSource(conversation: SubmitConversation, ctx: ConvContext): Promise<string | null> {
  await ctx.reply(escapeHtml(ctx.t("submit.ask_source")), {
    ...html,
    reply_markup: { inline_keyboard: [[{ text: ctx.t("button.skip"), callback_data: SKIP }]] },
  });
  for (;;) {
    const answer = await conversation.wait();
    if (answer.callbackQuery?.data === SKIP) {
      await answer.answerCallbackQuery();
      return null;
    }
    const text = answer.message?.text;
    const url = text !== undefined && !text.startsWith("/") ? parseSourceUrl(text) : undefined;
    if (url !== undefined) return url;
    if (answer.callbackQuery) await answer.answerCallbackQuery();
    await answer.reply(escapeHtml(answer.t("submit.bad_url")), html);
  }
}

/** Whether moderators may see the author's Telegram id; the bot keeps it either way to tell the decision. */
async function askAnonymity(conversation: SubmitConversation, ctx: ConvContext): Promise<boolean> {
  await ctx.reply(escapeHtml(ctx.t("submit.ask_anonymous")), {
    ...html,
    reply_markup: {
      inline_keyboard: [[
        { text: ctx.t("button.show_id"), callback_data: SHOW_ID },
        { text: ctx.t("button.anonymous"), callback_data: ANONYMOUS },
      ]],
    },
  });
  const answer = await conversation.waitForCallbackQuery([SHOW_ID, ANONYMOUS], {
    otherwise: (c) => c.reply(escapeHtml(c.t("submit.ask_anonymous")), html),
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
  const slug = await askPerson(conversation, ctx, start);
  const brief = await conversation.external((outer) => outer.services.cases.brief(slug) ?? null);
  if (!brief) {
    await ctx.reply(escapeHtml(ctx.t("case.gone")), html);
    return;
  }
  const pending = await conversation.external((outer) => outer.services.moderation.pendingCount(authorId));
  if (pending >= MAX_PENDING_PER_AUTHOR) {
    await ctx.reply(escapeHtml(ctx.t("submit.limit", { count: pending })), html);
    return;
  }
  const name = displayName(brief.names, ctx.lang);
  const text = await askText(conversation, ctx, name);
  const source = await askSource(conversation, ctx);
  const anonymous = await askAnonymity(conversation, ctx);

  const preview = await ctx.reply(renderPreview(ctx.t, name, text, source, anonymous), {
    ...html,
    link_preview_options: { is_disabled: true },
    reply_markup: {
      inline_keyboard: [[
        { text: ctx.t("button.send"), callback_data: SEND },
        { text: ctx.t("button.cancel"), callback_data: CANCEL },
      ]],
    },
  });
  const choice = await conversation.waitForCallbackQuery([SEND, CANCEL], {
    otherwise: (c) => c.reply(escapeHtml(c.t("submit.press_button")), html),
  });
  await choice.answerCallbackQuery();
  const close = (key: string) =>
    choice.api.editMessageReplyMarkup(preview.chat.id, preview.message_id, { reply_markup: { inline_keyboard: [] } }).catch(() => undefined).then(() =>
      choice.reply(escapeHtml(choice.t(key)), html),
    );
  if (choice.callbackQuery.data === CANCEL) {
    await close("submit.cancelled");
    return;
  }
  const lang = ctx.lang;
  const result = await conversation.external(async (outer) => {
    const r = await outer.services.moderation.submit({ caseSlug: slug, authorId, authorLang: lang, text, sourceUrl: source, anonymous });
    if (r.ok) {
      const saved = await outer.services.moderation.get(r.id);
      if (saved) await notifyStaff(outer.api, outer.deps, saved);
    }
    return r;
  });
  if (result.ok) await close("submit.sent");
  else if (result.reason === "limit") await choice.reply(escapeHtml(choice.t("submit.limit", { count: MAX_PENDING_PER_AUTHOR })), html);
  else await close("submit.failed");
}

export const submitFeature = new Composer<BotContext>();

submitFeature.use(createConversation(submitConversation, { id: SUBMIT }));

submitFeature.command("submit", async (ctx) => {
  await ctx.conversation.enter(SUBMIT, { query: ctx.match.slice(0, 200) });
});

submitFeature.callbackQuery(/^n:/, async (ctx) => {
  const action = decode(ctx.callbackQuery.data);
  if (action?.kind !== "news" || !ctx.services.cases.brief(action.slug)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  await ctx.answerCallbackQuery();
  await ctx.conversation.enter(SUBMIT, { slug: action.slug });
});


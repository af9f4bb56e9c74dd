import { GrammyError } from "grammy";
import type { BotContext } from "./context.js";
import type { Rendered } from "./render/card.js";

/** Sends a rendered view as a new HTML message. */
export async function replyView(ctx: BotContext, view: Rendered): Promise<void> {
  await ctx.reply(view.text, {
    parse_mode: "HTML",
    reply_markup: view.keyboard,
    link_preview_options: { is_disabled: true },
  });
}

/**
 * Replaces the message a button belongs to. Pressing the same button twice would make Telegram
 * answer "message is not modified": that is not an error for the reader. A message that can no
 * longer be edited (too old, deleted, inline) gets the view as a new message instead.
 */
export async function editView(ctx: BotContext, view: Rendered): Promise<void> {
  try {
    await ctx.editMessageText(view.text, {
      parse_mode: "HTML",
      reply_markup: view.keyboard,
      link_preview_options: { is_disabled: true },
    });
  } catch (err) {
    if (err instanceof GrammyError && err.description.includes("message is not modified")) return;
    if (err instanceof GrammyError && err.error_code === 400 && ctx.chat !== undefined) {
      await replyView(ctx, view);
      return;
    }
    throw err;
  }
}

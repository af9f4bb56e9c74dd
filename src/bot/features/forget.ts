import { Composer } from "grammy";
import { decode, encode } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../render/html.js";
import { editView } from "../reply.js";

/** /forget: asks first; on Yes, leaves any conversation and lets the user service erase the rest. */
export const forgetFeature = new Composer<BotContext>();

forgetFeature.command("forget", async (ctx) => {
  await ctx.reply(escapeHtml(ctx.t("forget.confirm")), {
    parse_mode: "HTML",
    reply_markup: {
      inline_keyboard: [
        [{ text: ctx.t("button.forget_yes"), callback_data: encode({ kind: "forget", confirm: true }) }],
        [{ text: ctx.t("button.forget_no"), callback_data: encode({ kind: "forget", confirm: false }) }],
      ],
    },
  });
});

forgetFeature.callbackQuery(/^fg:/, async (ctx) => {
  const action = decode(ctx.callbackQuery.data);
  if (action?.kind !== "forget") {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  if (action.confirm) {
    await ctx.conversation.exitAll();
    await ctx.services.users.forget(ctx.from.id);
  }
  const text = ctx.t(action.confirm ? "forget.done" : "forget.kept");
  await ctx.answerCallbackQuery();
  await editView(ctx, { text: escapeHtml(text), keyboard: { inline_keyboard: [] } });
});

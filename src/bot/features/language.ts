import { Composer } from "grammy";
import { isLang, LANGS } from "../../domain/codes.js";
import { decode, encode } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { escapeHtml } from "../render/html.js";

export const languageFeature = new Composer<BotContext>();

languageFeature.command("language", async (ctx) => {
  const { t } = ctx.deps.i18n;
  await ctx.reply(escapeHtml(ctx.t("language.choose")), {
    parse_mode: "HTML",
    reply_markup: {
      inline_keyboard: [
        LANGS.map((lang) => ({
          text: (lang === ctx.lang ? "✓ " : "") + t(lang)("language.self"),
          callback_data: encode({ kind: "language", lang }),
        })),
      ],
    },
  });
});

languageFeature.callbackQuery(/^lang:/, async (ctx) => {
  const action = decode(ctx.callbackQuery.data);
  if (action?.kind !== "language" || !isLang(action.lang)) {
    await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
    return;
  }
  await ctx.services.users.setLanguage(ctx.from.id, action.lang);
  ctx.lang = action.lang;
  ctx.t = ctx.deps.i18n.t(action.lang);
  const done = ctx.t("language.set");
  await ctx.answerCallbackQuery({ text: done });
  await ctx.editMessageText(escapeHtml(done), { parse_mode: "HTML" }).catch(() => ctx.reply(escapeHtml(done), { parse_mode: "HTML" }));
});

import type { Api } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { Lang } from "../domain/codes.js";
import type { BotContext } from "./context.js";

/** Where the Mini App lives: the web's pages under /app. Telegram opens only https:// Mini Apps. */
export function miniAppUrl(publicUrl: string | undefined, path: string, lang: Lang): string | undefined {
  if (publicUrl === undefined || !publicUrl.startsWith("https://")) return undefined;
  return `${publicUrl}/app${path === "/" ? "" : path}?lang=${lang}`;
}

/**
 * A button that opens a page as a Mini App, or undefined where it cannot work: no https PUBLIC_URL,
 * or not a private chat (Telegram refuses web_app buttons in groups).
 */
export function miniAppButton(ctx: BotContext, path: string, label: string): InlineKeyboardButton | undefined {
  if (ctx.chat?.type !== "private") return undefined;
  const url = miniAppUrl(ctx.deps.publicUrl, path, ctx.lang);
  return url ? { text: label, web_app: { url } } : undefined;
}

/** The bot's menu button opens the Mini App (the start page of the web) for everyone. */
export async function setMiniAppMenu(api: Api, publicUrl: string | undefined, label: string): Promise<boolean> {
  const url = miniAppUrl(publicUrl, "/", "en");
  if (!url) return false;
  // No ?lang: the page takes the reader's language from Telegram's Accept-Language.
  await api.setChatMenuButton({ menu_button: { type: "web_app", text: label, web_app: { url: url.replace(/\?lang=en$/, "") } } });
  return true;
}

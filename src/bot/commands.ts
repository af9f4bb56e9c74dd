import type { Bot } from "grammy";
import { LANGS, type Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { BotContext } from "./context.js";

const PUBLIC_COMMANDS = ["case", "list", "subscriptions", "submit", "cancel", "language", "forget", "help"] as const;

/** The command menu in each language Telegram shows it in; English is the default for the rest. */
export async function setCommands(bot: Bot<BotContext>, i18n: { t(lang: Lang): Translate }): Promise<void> {
  for (const lang of LANGS) {
    const t = i18n.t(lang);
    const commands = PUBLIC_COMMANDS.map((command) => ({ command, description: t(`commands.${command}`) }));
    await bot.api.setMyCommands(commands, lang === "en" ? {} : { language_code: lang });
  }
}

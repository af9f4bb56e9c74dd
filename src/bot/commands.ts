import type { Api, Bot } from "grammy";
import { isLang, LANGS, type Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { BotContext } from "./context.js";

const PUBLIC_COMMANDS = ["case", "list", "stats", "subscriptions", "submit", "cancel", "language", "forget", "help"] as const;
/** Commands whose menu text lives in their feature's own locale section. */
const DESCRIPTION_KEYS: Partial<Record<string, string>> = { stats: "stats.command" };
const STAFF_COMMANDS = ["queue", "newcase", "editcase", "history", "translations", "stale", "confirm", "translate", "revert", "audit", "promote", "demote"] as const;
/** What works only in a private chat: a group gets a button that opens one (middleware/private-chats.ts). */
export const PRIVATE_CHAT_COMMANDS = ["submit", "subscriptions", "forget", ...STAFF_COMMANDS] as const;

type I18n = { t(lang: Lang): Translate };

function publicCommands(t: Translate) {
  return PUBLIC_COMMANDS.map((command) => ({ command, description: t(DESCRIPTION_KEYS[command] ?? `commands.${command}`) }));
}

/** The command menu in each language Telegram shows it in; English is the default for the rest. */
export async function setCommands(bot: Bot<BotContext>, i18n: I18n): Promise<void> {
  for (const lang of LANGS) {
    await bot.api.setMyCommands(publicCommands(i18n.t(lang)), lang === "en" ? {} : { language_code: lang });
  }
}

/**
 * A moderator's or admin's own menu, with the staff commands, in their language; a demoted one gets
 * the public menu back. Commands still check the role themselves: the menu only helps.
 */
export async function setStaffMenu(api: Api, i18n: I18n, userId: number, language: string | null, staff: boolean): Promise<void> {
  const scope = { type: "chat" as const, chat_id: userId };
  if (!staff) {
    await api.deleteMyCommands({ scope });
    return;
  }
  const t = i18n.t(isLang(language) ? language : "en");
  const commands = [...publicCommands(t), ...STAFF_COMMANDS.map((command) => ({ command, description: t(`admin.commands.${command}`) }))];
  await api.setMyCommands(commands, { scope });
}

import { loadConfig, type Config } from "../config/config.js";
import { detectLanguage } from "../services/users.js";
import type { Lang } from "../domain/codes.js";

/**
 * `npm run try` needs no token and no Telegram: it uses a stand-in token, its own SQLite file (so a
 * real bot's data is never touched) and warnings-only logs. TRY_LANG (en, ru, kk) sets the language
 * Telegram would report for the simulated user; default: from LANG, else English.
 */
export function loadConfigForTry(env: NodeJS.ProcessEnv = process.env): { config: Config; language: Lang } {
  const config = loadConfig({
    BOT_TOKEN: "100000:try-it-locally",
    DATABASE_URL: env["TRY_DATABASE_URL"] ?? "./data/try.sqlite",
    LOG_LEVEL: env["LOG_LEVEL"] ?? "warn",
    ADMIN_IDS: env["ADMIN_IDS"],
  });
  const language = detectLanguage(env["TRY_LANG"] ?? env["LANG"]?.slice(0, 2));
  return { config, language };
}

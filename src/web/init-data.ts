import { parse, validate } from "@telegram-apps/init-data-node";

/** How long after Telegram signed it (auth_date) initData is accepted. */
export const INIT_DATA_MAX_AGE_SECONDS = 3600;

export interface MiniAppUser {
  id: number;
  languageCode: string | undefined;
}

/**
 * The Telegram user a Mini App request speaks for, or undefined when its initData is missing,
 * forged (HMAC-SHA256 keyed by HMAC("WebAppData", bot token), checked by @telegram-apps/init-data-node)
 * or older than INIT_DATA_MAX_AGE_SECONDS.
 */
export function miniAppUser(initData: string | undefined, botToken: string): MiniAppUser | undefined {
  if (!initData || initData.length > 8192) return undefined;
  try {
    validate(initData, botToken, { expiresIn: INIT_DATA_MAX_AGE_SECONDS });
    const data = parse(initData);
    const user = data.user;
    if (!user || !Number.isSafeInteger(user.id) || user.id <= 0) return undefined;
    return { id: user.id, languageCode: user.language_code };
  } catch {
    return undefined;
  }
}

/** initData travels as `Authorization: tma <initData>`, never in a URL (it would land in logs). */
export function initDataFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^tma (.+)$/s.exec(header.trim());
  return m?.[1];
}

import type { Context } from "hono";
import { setCookie, getCookie } from "hono/cookie";
import { isLang, type Lang } from "../domain/codes.js";

export const LANG_COOKIE = "lang";

export interface LangChoice {
  lang: Lang;
  /** `?lang=` asked for a language the cookie does not hold yet: the answer sets the cookie. */
  remember: boolean;
}

/**
 * The reader's language: `?lang=` (remembered in a cookie), then that cookie, then Accept-Language
 * (primary subtag, by quality), else English.
 */
export function chooseLang(c: Context): LangChoice {
  const asked = c.req.query("lang")?.toLowerCase();
  const remembered = getCookie(c, LANG_COOKIE);
  if (isLang(asked)) return { lang: asked, remember: remembered !== asked };
  if (isLang(remembered)) return { lang: remembered, remember: false };
  const header = c.req.header("accept-language");
  if (header) {
    const ranked = header
      .slice(0, 500)
      .split(",")
      .map((part, order) => {
        const [tag = "", ...params] = part.trim().split(";");
        const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith("q="))?.slice(2) ?? "1");
        return { primary: tag.toLowerCase().split("-")[0], q: Number.isFinite(q) ? q : 0, order };
      })
      .filter((x) => x.q > 0)
      .sort((a, b) => b.q - a.q || a.order - b.order);
    for (const { primary } of ranked) if (isLang(primary)) return { lang: primary, remember: false };
  }
  return { lang: "en", remember: false };
}

/** The reader's language (see `chooseLang`); a language asked with `?lang=` is set in the cookie. */
export function resolveLang(c: Context): Lang {
  const { lang, remember } = chooseLang(c);
  if (remember) setCookie(c, LANG_COOKIE, lang, { path: "/", sameSite: "Lax", maxAge: 365 * 24 * 3600, httpOnly: true });
  return lang;
}

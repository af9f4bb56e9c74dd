import type { Context } from "hono";
import { setCookie, getCookie } from "hono/cookie";
import { isLang, type Lang } from "../domain/codes.js";

export const LANG_COOKIE = "lang";

/**
 * The reader's language: `?lang=` (remembered in a cookie), then that cookie, then Accept-Language
 * (primary subtag, by quality), else English.
 */
export function resolveLang(c: Context): Lang {
  const asked = c.req.query("lang")?.toLowerCase();
  if (isLang(asked)) {
    if (getCookie(c, LANG_COOKIE) !== asked) {
      setCookie(c, LANG_COOKIE, asked, { path: "/", sameSite: "Lax", maxAge: 365 * 24 * 3600, httpOnly: true });
    }
    return asked;
  }
  const remembered = getCookie(c, LANG_COOKIE);
  if (isLang(remembered)) return remembered;
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
    for (const { primary } of ranked) if (isLang(primary)) return primary;
  }
  return "en";
}

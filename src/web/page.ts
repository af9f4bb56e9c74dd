import type { Context } from "hono";
import { LANGS, type Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { WebDeps, WebEnv } from "./deps.js";

/** `path` with `lang` set (other query values kept). */
export function withLang(path: string, lang: Lang): string {
  const url = new URL(path, "http://x");
  url.searchParams.set("lang", lang);
  return url.pathname + url.search;
}

/** What every page needs to render: the reader's language and its `t`, the site's address, the CSP nonce. */
export interface PageCtx {
  t: Translate;
  lang: Lang;
  publicUrl: string;
  nonce: string;
  /** Each language's name in itself (English, Русский, Қазақша), for the language links. */
  langNames: Record<Lang, string>;
  /** Inside Telegram as a Mini App: pages live under /app and load Telegram's script. */
  miniApp: boolean;
  /** A link to `path` on this face of the site (/app in the Mini App), in this language. */
  link(path: string): string;
}

export const MINI_APP_BASE = "/app";

const langNames = new WeakMap<object, Record<Lang, string>>();
function langNamesOf(i18n: WebDeps["i18n"]): Record<Lang, string> {
  let names = langNames.get(i18n);
  if (!names) {
    names = Object.fromEntries(LANGS.map((l) => [l, i18n.t(l)("language.self")])) as Record<Lang, string>;
    langNames.set(i18n, names);
  }
  return names;
}

export function pageCtx(c: Context<WebEnv>, deps: Pick<WebDeps, "i18n" | "publicUrl">): PageCtx {
  const lang = c.get("lang") ?? "en";
  const miniApp = c.get("miniApp") === true;
  const base = miniApp ? MINI_APP_BASE : "";
  return {
    miniApp,
    link: (path) => base + withLang(path, lang),
    t: c.get("t") ?? deps.i18n.t(lang),
    lang,
    publicUrl: deps.publicUrl,
    nonce: c.get("nonce") ?? "",
    langNames: langNamesOf(deps.i18n),
  };
}

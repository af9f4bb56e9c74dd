import type { Context } from "hono";
import { LANGS, type Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { WebDeps, WebEnv } from "./deps.js";

/** What every page needs to render: the reader's language and its `t`, the site's address, the CSP nonce. */
export interface PageCtx {
  t: Translate;
  lang: Lang;
  publicUrl: string;
  nonce: string;
  /** Each language's name in itself (English, Русский, Қазақша), for the language links. */
  langNames: Record<Lang, string>;
}

export function pageCtx(c: Context<WebEnv>, deps: Pick<WebDeps, "i18n" | "publicUrl">): PageCtx {
  const lang = c.get("lang") ?? "en";
  return {
    t: c.get("t") ?? deps.i18n.t(lang),
    lang,
    publicUrl: deps.publicUrl,
    nonce: c.get("nonce") ?? "",
    langNames: Object.fromEntries(LANGS.map((l) => [l, deps.i18n.t(l)("language.self")])) as Record<Lang, string>,
  };
}

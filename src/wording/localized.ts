import type { Localized } from "../domain/case.js";
import { LANGS, type Lang } from "../domain/codes.js";

/** The reader's language where it exists, else the first available one, with the language it is in. */
export function pickText(text: Localized, lang: Lang): { text: string; lang: Lang } | undefined {
  const own = text[lang];
  if (own !== undefined) return { text: own, lang };
  for (const other of LANGS) {
    const value = text[other];
    if (value !== undefined) return { text: value, lang: other };
  }
  return undefined;
}

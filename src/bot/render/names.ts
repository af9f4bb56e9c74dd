import type { CaseNames } from "../../domain/case.js";
import type { Lang } from "../../domain/codes.js";

/** The name as the reader's language writes it. */
export function displayName(names: CaseNames, lang: Lang): string {
  if (lang === "ru") return names.ru ?? names.en;
  if (lang === "kk") return names.kk ?? names.ru ?? names.en;
  return names.en;
}

/** The other spellings worth showing under the name (other scripts), without repeats. */
export function otherSpellings(names: CaseNames, lang: Lang): string[] {
  const order: Array<string | null> =
    lang === "en" ? [names.ru, names.kk, names.kkLatn] : lang === "ru" ? [names.en, names.kk] : [names.ru, names.kkLatn, names.en];
  const shown = new Set([displayName(names, lang)]);
  const out: string[] = [];
  for (const name of order) {
    if (name === null || shown.has(name)) continue;
    shown.add(name);
    out.push(name);
  }
  return out;
}

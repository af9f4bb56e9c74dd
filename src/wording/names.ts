import type { CaseDetail, CaseNames } from "../domain/case.js";
import type { Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";

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

/** Which spellings of the name shown on the card are not confirmed, named by script. */
export function spellingNote(t: Translate, detail: Pick<CaseDetail, "names" | "spellingConfirmed">): string | undefined {
  const ru = detail.names.ru !== null && !detail.spellingConfirmed.ru;
  const kk = (detail.names.kk !== null || detail.names.kkLatn !== null) && !detail.spellingConfirmed.kk;
  if (ru && kk) return t("card.spelling_unconfirmed_ru_kk");
  if (ru) return t("card.spelling_unconfirmed_ru");
  if (kk) return t("card.spelling_unconfirmed_kk");
  return undefined;
}

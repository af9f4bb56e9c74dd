import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import i18next, { type TFunction } from "i18next";
import { LANGS, type Lang } from "./domain/codes.js";

export type Translate = TFunction;

export const LOCALES_DIR = fileURLToPath(new URL("../locales", import.meta.url));

export function loadLocale(lang: Lang): Record<string, unknown> {
  return JSON.parse(readFileSync(`${LOCALES_DIR}/${lang}.json`, "utf8")) as Record<string, unknown>;
}

/**
 * One i18next instance for the process; each update gets its own fixed-language `t` through
 * `getFixedT`, so concurrent updates in different languages never share a current language.
 * Values are not escaped here: rendering escapes every interpolated value for HTML itself.
 */
export async function createI18n(): Promise<{ t(lang: Lang): Translate }> {
  const instance = i18next.createInstance();
  await instance.init({
    resources: Object.fromEntries(LANGS.map((lang) => [lang, { translation: loadLocale(lang) }])),
    lng: "en",
    fallbackLng: "en",
    supportedLngs: [...LANGS],
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  });
  const fixed = new Map(LANGS.map((lang) => [lang, instance.getFixedT(lang)] as const));
  return {
    t: (lang) => fixed.get(lang) ?? instance.getFixedT("en"),
  };
}

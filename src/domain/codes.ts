/** The closed vocabularies of a case. Labels live in locales/*.json under the same codes. */
export const LANGS = ["en", "ru", "kk"] as const;
export type Lang = (typeof LANGS)[number];

export const CATEGORIES = [
  "political_prisoner",
  "pretrial_detention",
  "suspended_sentence",
  "under_prosecution",
  "psychiatric",
  "abroad",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const ROLES = [
  "civil_activist",
  "journalist",
  "blogger",
  "trade_unionist",
  "ablyazov_case",
  "ablyazov_associate",
  "opposition_politician",
  "lawyer",
] as const;
export type Role = (typeof ROLES)[number];

export const STATUSES = [
  "imprisoned",
  "detained",
  "suspended_sentence",
  "under_prosecution",
  "compulsory_treatment",
  "released_restricted",
  "released_from_custody",
  "extradition_sought",
] as const;
export type Status = (typeof STATUSES)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

export function isCategory(value: unknown): value is Category {
  return typeof value === "string" && (CATEGORIES as readonly string[]).includes(value);
}

/** Slugs are lowercase Latin with hyphens: safe in callback data and deep links. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

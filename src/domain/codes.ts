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
  /** The report counts the person among "19 activists and journalists" and says no more. */
  "activist_or_journalist",
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
  "pretrial_detention",
  "released",
  "deceased",
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

export function isStatus(value: unknown): value is Status {
  return typeof value === "string" && (STATUSES as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** What kind of news an approved update is; a moderator picks one when approving. */
export const UPDATE_TYPES = [
  "hearing",
  "verdict",
  "sentence_change",
  "transfer",
  "release",
  "detention",
  "health",
  "travel_ban",
  "other",
] as const;
export type UpdateType = (typeof UPDATE_TYPES)[number];

export function isUpdateType(value: unknown): value is UpdateType {
  return typeof value === "string" && (UPDATE_TYPES as readonly string[]).includes(value);
}

/** The status an update of this type may set, which the moderator confirms. */
export const TYPE_STATUS: Partial<Record<UpdateType, Status>> = {
  release: "released",
  detention: "pretrial_detention",
};

/** Changes that show only once a second moderator has confirmed them. */
export const SENSITIVE_STATUSES: readonly Status[] = ["released", "deceased"];

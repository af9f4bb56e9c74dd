import { isCategory, isRole, isStatus, type Lang, SENSITIVE_STATUSES } from "./codes.js";
import { CASE_FIELD, type EditableField, type RevisionField } from "./fields.js";

/**
 * The rules of input and of the second moderator: pure functions that store, services, bot and web
 * share. Lengths are counted as Telegram counts them, in UTF-16 code units (an emoji is two).
 */

/** News text, summaries and translations. */
export const TEXT_MIN = 10;
export const TEXT_MAX = 2000;
export const URL_MAX = 500;
/** A rejection's reason, and the source or reason given with a change. */
export const REASON_MAX = 500;
export const MAX_PENDING_PER_AUTHOR = 5;
export const NAME_MIN = 2;
export const NAME_MAX = 100;
export const SUMMARY_MIN = TEXT_MIN;
export const SUMMARY_MAX = TEXT_MAX;
export const SOURCE_MAX = REASON_MAX;
export const ALIAS_MAX_COUNT = 20;

/** The length Telegram counts: UTF-16 code units. */
export function textLength(text: string): number {
  return text.length;
}

/** Whether trimmed text is within [min, max] UTF-16 units. */
export function withinLength(text: string, min: number, max: number): boolean {
  const n = textLength(text.trim());
  return n >= min && n <= max;
}

/** Cuts text to at most `max` UTF-16 units without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/** Checks an http(s) URL; returns it normalised, or undefined. */
export function parseSourceUrl(raw: string): string | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > URL_MAX || /\s/.test(text)) return undefined;
  try {
    const url = new URL(text);
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname.includes(".")) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

/** The card links a status to its source: a reason that is not a link stays in the history only. */
export function linkOnly(source: string): string | null {
  return parseSourceUrl(source) ?? null;
}

/** A calendar day written YYYY-MM-DD (a real date), as a UTC midnight timestamp. */
export function parseDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === text.trim() ? t : undefined;
}

/** Reminders go out at 09:00 UTC (15:00 in Almaty) the day before the hearing. */
export function reminderTime(hearingDate: string): number | undefined {
  const day = parseDay(hearingDate);
  return day === undefined ? undefined : day - 24 * 3600_000 + 9 * 3600_000;
}

/** The language a text is written in, from its letters: Kazakh-only letters, else Cyrillic, else English. */
export function detectTextLanguage(text: string): Lang {
  if (/[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/.test(text)) return "kk";
  const cyr = (text.match(/[а-яё]/gi) ?? []).length;
  const lat = (text.match(/[a-z]/gi) ?? []).length;
  return cyr > lat ? "ru" : "en";
}

export function isSensitiveStatus(value: string | null | undefined): boolean {
  return isStatus(value) && SENSITIVE_STATUSES.includes(value);
}

/**
 * The second-moderator rule, the one place it is written: a new case (or hiding one), any revert, and
 * any change of status from or to released or deceased wait for a different moderator's Confirm, on
 * every path (an approval that sets a status, /editcase, /revert).
 */
export function needsSecondModerator(change: { field: RevisionField; oldValue: string | null; newValue: string | null; revert?: boolean }): boolean {
  if (change.revert === true || change.field === CASE_FIELD) return true;
  if (change.field !== "status") return false;
  return isSensitiveStatus(change.oldValue) || isSensitiveStatus(change.newValue);
}

/** Why a value was refused, for a message that says what to fix. */
export type InvalidReason = "length" | "script" | "characters" | "code" | "url" | "empty" | "too_many";

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: InvalidReason };

const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[a-z]/i;
/** Letters (any script), spaces, hyphens, apostrophes and dots: what a person's name is written with. */
const NAME_CHARS = /^[\p{L}\p{M}][\p{L}\p{M} .'’ʼ-]*$/u;

/** One line, single spaces. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export type NameField = "name_en" | "name_ru" | "name_kk" | "name_kk_latn";

/** Which script a name field is written in: English and Kazakh Latin in Latin letters, Russian and Kazakh in Cyrillic. */
const NAME_SCRIPT: Record<NameField, "latin" | "cyrillic"> = {
  name_en: "latin",
  name_ru: "cyrillic",
  name_kk: "cyrillic",
  name_kk_latn: "latin",
};

export function checkName(field: NameField, raw: string): Checked<string> {
  const text = oneLine(raw);
  const n = textLength(text);
  if (n < NAME_MIN || n > NAME_MAX) return { ok: false, reason: "length" };
  if (!NAME_CHARS.test(text)) return { ok: false, reason: "characters" };
  // A swapped answer (the Russian name where the English one belongs) is the likeliest mistake.
  const script = NAME_SCRIPT[field];
  if (script === "latin" && (CYRILLIC.test(text) || !/\p{Script=Latin}/u.test(text))) return { ok: false, reason: "script" };
  if (script === "cyrillic" && (LATIN.test(text) || !CYRILLIC.test(text))) return { ok: false, reason: "script" };
  return { ok: true, value: text };
}

/** News text, a summary or a translation: trimmed, TEXT_MIN..TEXT_MAX UTF-16 units. */
export function checkText(raw: string): Checked<string> {
  const text = raw.trim();
  return withinLength(text, TEXT_MIN, TEXT_MAX) ? { ok: true, value: text } : { ok: false, reason: "length" };
}

export function checkSummary(raw: string): Checked<string> {
  return checkText(raw);
}

/** The source of a change or the reason for it: required, one line, at most SOURCE_MAX units. */
export function checkSource(raw: string): Checked<string> {
  const text = oneLine(raw);
  if (text === "") return { ok: false, reason: "empty" };
  if (textLength(text) > SOURCE_MAX) return { ok: false, reason: "length" };
  return { ok: true, value: text };
}

/** Aliases, one per line (or separated by ";"): each a name; "-" or nothing clears the list. */
export function checkAliases(raw: string): Checked<string | null> {
  const parts = raw.split(/[\n;]/).map(oneLine).filter((a) => a !== "" && a !== "-");
  const unique = [...new Set(parts)];
  if (unique.length === 0) return { ok: true, value: null };
  if (unique.length > ALIAS_MAX_COUNT) return { ok: false, reason: "too_many" };
  for (const alias of unique) {
    if (textLength(alias) < NAME_MIN || textLength(alias) > NAME_MAX) return { ok: false, reason: "length" };
    if (!NAME_CHARS.test(alias)) return { ok: false, reason: "characters" };
  }
  return { ok: true, value: unique.sort().join("\n") };
}

/** Checks and normalises a new value of a field: what an edit stores. */
export function checkFieldValue(field: EditableField, raw: string): Checked<string | null> {
  switch (field) {
    case "status":
      return isStatus(raw) ? { ok: true, value: raw } : { ok: false, reason: "code" };
    case "category":
      return isCategory(raw) ? { ok: true, value: raw } : { ok: false, reason: "code" };
    case "role":
      return isRole(raw) ? { ok: true, value: raw } : { ok: false, reason: "code" };
    case "name_en":
    case "name_ru":
    case "name_kk":
    case "name_kk_latn":
      return checkName(field, raw);
    case "summary_en":
    case "summary_ru":
    case "summary_kk":
      return checkSummary(raw);
    case "aliases":
      return checkAliases(raw);
  }
}

/**
 * The fields of a case that moderators change, one revision at a time, and the states of a revision.
 * Values are stored as strings: `aliases` is the sorted list joined by "\n".
 */

/** Fields of `cases` a moderator may change, one at a time. */
export const EDITABLE_FIELDS = [
  "status",
  "category",
  "role",
  "name_en",
  "name_ru",
  "name_kk",
  "name_kk_latn",
  "summary_en",
  "summary_ru",
  "summary_kk",
  "aliases",
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/**
 * The pseudo-field of a revision that adds (or hides) a whole case: its value is CASE_SHOWN while the
 * case is visible and null while it is not.
 */
export const CASE_FIELD = "case";
export const CASE_SHOWN = "created";
export type RevisionField = EditableField | typeof CASE_FIELD;

/**
 * The pseudo-field of a revision that confirms a status still true without changing it (/stale): old
 * and new value are the status it confirmed. Not a RevisionField: there is nothing to revert.
 */
export const STATUS_REVIEW_FIELD = "status_review";

export const REVISION_STATES = ["applied", "pending", "reverted", "discarded"] as const;
export type RevisionState = (typeof REVISION_STATES)[number];

export function isEditableField(value: unknown): value is EditableField {
  return typeof value === "string" && (EDITABLE_FIELDS as readonly string[]).includes(value);
}

export function isRevisionField(value: unknown): value is RevisionField {
  return value === CASE_FIELD || isEditableField(value);
}

export function isRevisionState(value: unknown): value is RevisionState {
  return typeof value === "string" && (REVISION_STATES as readonly string[]).includes(value);
}

/** Fields a case cannot be without: a revert to "nothing" is refused. */
export const REQUIRED_FIELDS: ReadonlySet<RevisionField> = new Set<RevisionField>(["status", "category", "role", "name_en"]);

/** Fields whose change alters the search index or the briefs (names, spellings, category, status, visibility). */
export const INDEXED_FIELDS: ReadonlySet<RevisionField> = new Set<RevisionField>([
  "case",
  "status",
  "category",
  "name_en",
  "name_ru",
  "name_kk",
  "name_kk_latn",
  "aliases",
]);

/** The translated fields /translations looks at, in the order it lists them. */
export const TRANSLATION_FIELDS = ["name_ru", "name_kk", "summary_en", "summary_ru", "summary_kk"] as const;
export type TranslationField = (typeof TRANSLATION_FIELDS)[number];

/** Splits a stored alias list ("\n"-joined) into its aliases, trimmed and without repeats. */
export function splitAliases(value: string | null): string[] {
  if (value === null) return [];
  return [...new Set(value.split("\n").map((a) => a.trim()))].filter((a) => a !== "");
}

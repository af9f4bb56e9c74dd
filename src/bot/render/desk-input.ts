import type { EditableField } from "../../domain/fields.js";
import { ALIAS_MAX_COUNT, textLength, type Checked, type InvalidReason, NAME_MAX, NAME_MIN, SOURCE_MAX, SUMMARY_MAX, SUMMARY_MIN } from "../../domain/rules.js";
import type { Translate } from "../../i18n.js";
import { escapeHtml } from "./html.js";

/** What the case desk says about a value it asks for: the hint, and why an answer was refused. */

function plain(t: Translate, key: string, options?: Record<string, unknown>): string {
  return escapeHtml(t(key, options));
}

/** Why a value was refused, in words that say what to send instead. */
export function invalidText(t: Translate, what: "name_latin" | "name_cyrillic" | "summary" | "source" | "url" | "aliases" | "code", reason: InvalidReason, length?: number): string {
  switch (what) {
    case "name_latin":
    case "name_cyrillic":
      if (reason === "script") return plain(t, what === "name_latin" ? "admin.invalid.name_script_latin" : "admin.invalid.name_script_cyrillic");
      if (reason === "characters") return plain(t, "admin.invalid.name_characters");
      return plain(t, "admin.invalid.name_length", { min: NAME_MIN, max: NAME_MAX });
    case "summary":
      return plain(t, "admin.invalid.summary_length", { length: length ?? 0, min: SUMMARY_MIN, max: SUMMARY_MAX });
    case "source":
      return plain(t, reason === "empty" ? "admin.invalid.source_empty" : "admin.invalid.source_length", { max: SOURCE_MAX });
    case "url":
      return plain(t, "admin.invalid.url");
    case "aliases":
      return reason === "too_many" ? plain(t, "admin.invalid.aliases_too_many", { max: ALIAS_MAX_COUNT }) : plain(t, "admin.invalid.aliases", { min: NAME_MIN, max: NAME_MAX });
    case "code":
      return plain(t, "admin.invalid.code");
  }
}

export function valueHint(t: Translate, field: EditableField): string {
  switch (field) {
    case "name_en":
    case "name_kk_latn":
      return t("admin.edit.hint_name_latin", { min: NAME_MIN, max: NAME_MAX });
    case "name_ru":
    case "name_kk":
      return t("admin.edit.hint_name_cyrillic", { min: NAME_MIN, max: NAME_MAX });
    case "aliases":
      return t("admin.edit.hint_aliases", { max: ALIAS_MAX_COUNT });
    default:
      return t("admin.edit.hint_summary", { min: SUMMARY_MIN, max: SUMMARY_MAX });
  }
}

export function invalidValue(t: Translate, field: EditableField, checked: Extract<Checked<unknown>, { ok: false }>, raw: string): string {
  switch (field) {
    case "name_en":
    case "name_kk_latn":
      return invalidText(t, "name_latin", checked.reason);
    case "name_ru":
    case "name_kk":
      return invalidText(t, "name_cyrillic", checked.reason);
    case "aliases":
      return invalidText(t, "aliases", checked.reason);
    case "summary_en":
    case "summary_ru":
    case "summary_kk":
      return invalidText(t, "summary", checked.reason, textLength(raw.trim()));
    default:
      return invalidText(t, "code", checked.reason);
  }
}


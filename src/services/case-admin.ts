import type { CaseDetail } from "../domain/case.js";
import { isCategory, isRole, isStatus, type Lang, SENSITIVE_STATUSES } from "../domain/codes.js";
import { addAudit } from "../store/audit.js";
import { findCase } from "../store/cases.js";
import type { DB } from "../store/db.js";
import { bumpCasesRevision } from "../store/meta.js";
import * as store from "../store/revisions.js";
import {
  CASE_FIELD,
  CASE_SHOWN,
  type EditableField,
  isEditableField,
  type PendingRevisionRow,
  type RevisionField,
  type StatusContext,
  type TranslationField,
} from "../store/revisions.js";
import type { RevisionRow } from "../store/schema.js";
import { getUserRole } from "../store/users.js";
import { parseSourceUrl, REASON_MAX, TEXT_MAX, TEXT_MIN } from "./moderation.js";

export { CASE_FIELD, CASE_SHOWN, EDITABLE_FIELDS, TRANSLATION_FIELDS, isEditableField } from "../store/revisions.js";
export type { EditableField, PendingRevisionRow, RevisionField, TranslationField } from "../store/revisions.js";

export type StaffRole = "reader" | "moderator" | "admin";

export const NAME_MIN = 2;
export const NAME_MAX = 100;
export const SUMMARY_MIN = TEXT_MIN;
export const SUMMARY_MAX = TEXT_MAX;
export const SOURCE_MAX = REASON_MAX;
export const ALIAS_MAX_COUNT = 20;
/** Generated slugs stay short enough for callback data ("ce:<slug>:<field>" ≤ 64 bytes). */
export const SLUG_MAX = 40;

/** Why a value was refused, for a message that says what to fix. */
export type InvalidReason = "length" | "script" | "characters" | "code" | "url" | "empty" | "too_many";

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: InvalidReason };

const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[a-z]/i;
/** Letters (any script), spaces, hyphens, apostrophes and dots: what a person's name is written with. */
const NAME_CHARS = /^[\p{L}\p{M}][\p{L}\p{M} .'’ʼ-]*$/u;

function length(text: string): number {
  return [...text].length;
}

/** One line, single spaces. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Which script a name field is written in: English and Kazakh Latin in Latin letters, Russian and Kazakh in Cyrillic. */
type NameScript = "latin" | "cyrillic";
const NAME_SCRIPT: Record<"name_en" | "name_ru" | "name_kk" | "name_kk_latn", NameScript> = {
  name_en: "latin",
  name_ru: "cyrillic",
  name_kk: "cyrillic",
  name_kk_latn: "latin",
};

export function checkName(field: keyof typeof NAME_SCRIPT, raw: string): Checked<string> {
  const text = oneLine(raw);
  const n = length(text);
  if (n < NAME_MIN || n > NAME_MAX) return { ok: false, reason: "length" };
  if (!NAME_CHARS.test(text)) return { ok: false, reason: "characters" };
  // A swapped answer (the Russian name where the English one belongs) is the likeliest mistake.
  const script = NAME_SCRIPT[field];
  if (script === "latin" && (CYRILLIC.test(text) || !/\p{Script=Latin}/u.test(text))) return { ok: false, reason: "script" };
  if (script === "cyrillic" && (LATIN.test(text) || !CYRILLIC.test(text))) return { ok: false, reason: "script" };
  return { ok: true, value: text };
}

export function checkSummary(raw: string): Checked<string> {
  const text = raw.trim();
  const n = length(text);
  if (n < SUMMARY_MIN || n > SUMMARY_MAX) return { ok: false, reason: "length" };
  return { ok: true, value: text };
}

/** The source of a change or the reason for it: required, one line, at most 500 characters. */
export function checkSource(raw: string): Checked<string> {
  const text = oneLine(raw);
  if (text === "") return { ok: false, reason: "empty" };
  if (length(text) > SOURCE_MAX) return { ok: false, reason: "length" };
  return { ok: true, value: text };
}

/** Aliases, one per line (or separated by ";"): each a name; "-" or nothing clears the list. */
export function checkAliases(raw: string): Checked<string | null> {
  const parts = raw.split(/[\n;]/).map(oneLine).filter((a) => a !== "" && a !== "-");
  const unique = [...new Set(parts)];
  if (unique.length === 0) return { ok: true, value: null };
  if (unique.length > ALIAS_MAX_COUNT) return { ok: false, reason: "too_many" };
  for (const alias of unique) {
    if (length(alias) < NAME_MIN || length(alias) > NAME_MAX) return { ok: false, reason: "length" };
    if (!NAME_CHARS.test(alias)) return { ok: false, reason: "characters" };
  }
  return { ok: true, value: unique.sort().join("\n") };
}

/** Checks and normalises a new value of a field; what editField() stores. */
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

/** Kazakh Cyrillic to the Kazakh Latin alphabet of 2021 (as the report's names are written: Боқаев → Boqaev). */
const KK_LATIN: Readonly<Record<string, string>> = {
  а: "a", ә: "ä", б: "b", в: "v", г: "g", ғ: "ğ", д: "d", е: "e", ё: "io", ж: "j", з: "z", и: "i", й: "i",
  к: "k", қ: "q", л: "l", м: "m", н: "n", ң: "ñ", о: "o", ө: "ö", п: "p", р: "r", с: "s", т: "t", у: "u",
  ұ: "ū", ү: "ü", ф: "f", х: "h", һ: "h", ц: "ts", ч: "ç", ш: "ş", щ: "şş", ъ: "", ы: "y", і: "ı", ь: "",
  э: "e", ю: "iu", я: "ia",
};

/** Russian Cyrillic to the plain Latin spelling used in English-language media (Бокаев → Bokaev). */
const RU_LATIN: Readonly<Record<string, string>> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "yo", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l",
  м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh",
  щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
  // Kazakh letters, should a Kazakh spelling be given as the Russian one
  ә: "a", ғ: "g", қ: "k", ң: "n", ө: "o", ұ: "u", ү: "u", һ: "h", і: "i",
};

function transliterate(text: string, table: Readonly<Record<string, string>>, capitalI: string): string {
  let out = "";
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const mapped = table[lower];
    if (mapped === undefined) out += ch;
    else if (ch === lower || mapped === "") out += mapped;
    // A capital letter: its Latin spelling capitalised (И → İ in Kazakh Latin, as the report writes İgor).
    else out += lower === "и" ? capitalI : mapped.charAt(0).toUpperCase() + mapped.slice(1);
  }
  return out;
}

export function kazakhLatin(name: string): string {
  return transliterate(name, KK_LATIN, "İ");
}

export function russianLatin(name: string): string {
  return transliterate(name, RU_LATIN, "I");
}

/** A slug from the English name: lowercase Latin words joined by hyphens, at most SLUG_MAX characters. */
export function slugify(name: string): string {
  const latin = russianLatin(name)
    .replace(/[ıİ]/g, "i")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/['’ʼ`]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (latin.length <= SLUG_MAX) return latin;
  const cut = latin.slice(0, SLUG_MAX);
  const hyphen = cut.lastIndexOf("-");
  return (hyphen >= 10 ? cut.slice(0, hyphen) : cut).replace(/-+$/, "");
}

/** Spellings worth searching by besides the names themselves: the Russian name in Latin, the Kazakh name in Kazakh Latin. */
export function generatedAliases(names: { en: string; ru: string | null; kk: string | null; kkLatn: string | null }): string[] {
  const taken = new Set([names.en, names.ru, names.kk, names.kkLatn].filter((n): n is string => n !== null).map((n) => n.toLowerCase()));
  const out: string[] = [];
  for (const alias of [names.ru ? russianLatin(names.ru) : null, names.kk ? kazakhLatin(names.kk) : null]) {
    if (alias === null || taken.has(alias.toLowerCase())) continue;
    taken.add(alias.toLowerCase());
    out.push(alias);
  }
  return out;
}

export interface NewCaseInput {
  names: { en: string; ru: string; kk?: string | null; kkLatn?: string | null };
  category: string;
  role: string;
  status: string;
  /** At least one language. */
  summary: Partial<Record<Lang, string>>;
  /** The http(s) link the case is added on. */
  source: string;
}

export type CreateField = "name_en" | "name_ru" | "name_kk" | "name_kk_latn" | "category" | "role" | "status" | "summary" | "source";

export type CreateResult =
  | { type: "created"; slug: string; revisionId: number }
  | { type: "forbidden" }
  | { type: "invalid"; field: CreateField; reason: InvalidReason };

export type EditResult =
  | { type: "applied"; revision: RevisionRow }
  | { type: "pending"; revision: RevisionRow }
  | { type: "unchanged" }
  | { type: "forbidden" }
  | { type: "not_found" }
  | { type: "invalid"; field: "field" | "value" | "source"; reason: InvalidReason };

export type ConfirmResult =
  | { type: "applied"; revision: RevisionRow }
  | { type: "same_moderator"; revision: RevisionRow }
  | { type: "already"; revision: RevisionRow }
  /** The field changed since the revision was proposed: it was discarded rather than applied over the newer value. */
  | { type: "stale"; revision: RevisionRow }
  | { type: "forbidden" }
  | { type: "not_found" };

export type DiscardResult =
  | { type: "discarded"; revision: RevisionRow; caseRemoved: boolean }
  | { type: "already"; revision: RevisionRow }
  | { type: "forbidden" }
  | { type: "not_found" };

export type RevertResult =
  | { type: "pending"; revision: RevisionRow }
  /** Only an applied revision can be reverted. */
  | { type: "not_applied"; revision: RevisionRow }
  /** The field changed again since: revert the later revision first. */
  | { type: "stale"; revision: RevisionRow }
  | { type: "already_pending"; revision: RevisionRow }
  | { type: "forbidden" }
  | { type: "not_found" };

export interface MissingField {
  slug: string;
  name: string;
  field: TranslationField;
}

/** Fields whose change alters the in-memory index or briefs (names, spellings, category, status, visibility). */
const INDEXED: ReadonlySet<RevisionField> = new Set<RevisionField>([
  "case",
  "status",
  "category",
  "name_en",
  "name_ru",
  "name_kk",
  "name_kk_latn",
  "aliases",
]);
/** Fields a case cannot be without: a revert to "nothing" is refused. */
const REQUIRED: ReadonlySet<RevisionField> = new Set<RevisionField>(["status", "category", "role", "name_en"]);

/** The card links a status to its source: a reason that is not a link stays in the history only. */
function linkOnly(source: string): string | null {
  return parseSourceUrl(source) ?? null;
}

function isSensitiveStatus(value: string | null | undefined): boolean {
  return isStatus(value) && SENSITIVE_STATUSES.includes(value);
}

/**
 * Adding and correcting cases. Every method takes the acting user and checks their role against the
 * database as it runs (moderators and admins; reverts admins only): a button or a conversation started
 * before a demotion does nothing after it. Sensitive changes (a new case, a status of released or
 * deceased, any revert) wait as "pending" revisions until a different moderator confirms them.
 */
export class CaseAdminService {
  constructor(
    private readonly db: DB,
    private readonly cases: { refresh(): Promise<void>; invalidate(slug: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async roleOf(userId: number): Promise<StaffRole> {
    const role = await getUserRole(this.db, userId);
    return role === "admin" || role === "moderator" ? role : "reader";
  }

  async isStaff(userId: number): Promise<boolean> {
    return (await this.roleOf(userId)) !== "reader";
  }

  /**
   * A new case from moderators: stored hidden, with a pending "case" revision. It shows in search and
   * lists only once a second moderator confirms that revision.
   */
  async createCase(actor: number, input: NewCaseInput): Promise<CreateResult> {
    if (!(await this.isStaff(actor))) return { type: "forbidden" };
    const en = checkName("name_en", input.names.en);
    if (!en.ok) return { type: "invalid", field: "name_en", reason: en.reason };
    const ru = checkName("name_ru", input.names.ru);
    if (!ru.ok) return { type: "invalid", field: "name_ru", reason: ru.reason };
    let kk: string | null = null;
    if (input.names.kk != null && input.names.kk.trim() !== "") {
      const c = checkName("name_kk", input.names.kk);
      if (!c.ok) return { type: "invalid", field: "name_kk", reason: c.reason };
      kk = c.value;
    }
    let kkLatn: string | null = kk === null ? null : kazakhLatin(kk);
    if (input.names.kkLatn != null && input.names.kkLatn.trim() !== "") {
      const c = checkName("name_kk_latn", input.names.kkLatn);
      if (!c.ok) return { type: "invalid", field: "name_kk_latn", reason: c.reason };
      kkLatn = c.value;
    }
    if (!isCategory(input.category)) return { type: "invalid", field: "category", reason: "code" };
    if (!isRole(input.role)) return { type: "invalid", field: "role", reason: "code" };
    if (!isStatus(input.status)) return { type: "invalid", field: "status", reason: "code" };
    const summary: Partial<Record<Lang, string>> = {};
    for (const lang of ["en", "ru", "kk"] as const) {
      const text = input.summary[lang];
      if (text === undefined || text.trim() === "") continue;
      const c = checkSummary(text);
      if (!c.ok) return { type: "invalid", field: "summary", reason: c.reason };
      summary[lang] = c.value;
    }
    if (Object.keys(summary).length === 0) return { type: "invalid", field: "summary", reason: "empty" };
    const source = parseSourceUrl(input.source);
    if (source === undefined) return { type: "invalid", field: "source", reason: "url" };

    const base = slugify(en.value) || slugify(ru.value) || "case";
    const names = { en: en.value, ru: ru.value, kk, kkLatn };
    const iso = this.now().toISOString();
    return this.db.transaction().execute(async (trx): Promise<CreateResult> => {
      const taken = await store.slugsLike(trx, base);
      for (let n = 1; n < 10_000; n++) {
        const slug = n === 1 ? base : `${base}-${n}`;
        if (taken.has(slug)) continue;
        const inserted = await store.insertModeratorCase(
          trx,
          {
            slug,
            category: input.category,
            role: input.role,
            status: input.status,
            nameEn: names.en,
            nameRu: names.ru,
            nameKk: names.kk,
            nameKkLatn: names.kkLatn,
            summaryEn: summary.en ?? null,
            summaryRu: summary.ru ?? null,
            summaryKk: summary.kk ?? null,
            aliases: generatedAliases(names),
            addedSource: source,
            visible: false,
          },
          iso,
        );
        if (!inserted) continue;
        const revisionId = await store.insertRevision(
          trx,
          { caseSlug: slug, field: CASE_FIELD, oldValue: null, newValue: CASE_SHOWN, source, actorId: actor, state: "pending" },
          iso,
        );
        await addAudit(trx, actor, "case_create", `case:${slug}`, `revision:${revisionId}`, iso);
        return { type: "created", slug, revisionId };
      }
      throw new Error(`no free slug for ${base}`);
    });
  }

  /**
   * Changes one field of a visible case, with the source of the change or the reason for it. A status
   * of released or deceased (or a change away from one) waits for a second moderator; anything else
   * is applied at once. Either way the revision records old and new value, source, actor and time.
   */
  async editField(actor: number, slug: string, field: string, value: string, source: string): Promise<EditResult> {
    if (!(await this.isStaff(actor))) return { type: "forbidden" };
    if (!isEditableField(field)) return { type: "invalid", field: "field", reason: "code" };
    const checkedSource = checkSource(source);
    if (!checkedSource.ok) return { type: "invalid", field: "source", reason: checkedSource.reason };
    const checked = checkFieldValue(field, value);
    if (!checked.ok) return { type: "invalid", field: "value", reason: checked.reason };
    const newValue = checked.value;
    const iso = this.now().toISOString();
    const result = await this.db.transaction().execute(async (trx): Promise<EditResult> => {
      if ((await store.isVisible(trx, slug)) !== true) return { type: "not_found" };
      const oldValue = await store.readField(trx, slug, field);
      if (oldValue === undefined) return { type: "not_found" };
      if (oldValue === newValue) return { type: "unchanged" };
      const sensitive = field === "status" && (isSensitiveStatus(newValue) || isSensitiveStatus(oldValue));
      const id = await store.insertRevision(
        trx,
        { caseSlug: slug, field, oldValue, newValue, source: checkedSource.value, actorId: actor, state: sensitive ? "pending" : "applied" },
        iso,
      );
      if (!sensitive) {
        await store.applyField(trx, slug, field, newValue, iso, { at: iso, source: linkOnly(checkedSource.value) });
        await bumpCasesRevision(trx, `${iso}#revision:${id}`);
      }
      await addAudit(trx, actor, sensitive ? "case_edit_proposed" : "case_edit", `case:${slug}`, `${field} revision:${id}`, iso);
      const revision = await store.getRevision(trx, id);
      if (!revision) throw new Error(`revision ${id} vanished`);
      return { type: sensitive ? "pending" : "applied", revision };
    });
    if (result.type === "applied") await this.afterChange(slug, field);
    return result;
  }

  /** A second moderator's confirmation of a pending revision; never by the one who proposed it. */
  async confirm(revisionId: number, actor: number): Promise<ConfirmResult> {
    if (!(await this.isStaff(actor))) return { type: "forbidden" };
    const iso = this.now().toISOString();
    const result = await this.db.transaction().execute(async (trx): Promise<ConfirmResult> => {
      const revision = await store.getRevision(trx, revisionId);
      if (!revision) return { type: "not_found" };
      if (revision.state !== "pending") return { type: "already", revision };
      if (revision.actor_id === actor) return { type: "same_moderator", revision };
      const field = revision.field;
      if (!store.isRevisionField(field)) throw new Error(`revision ${revisionId} has an unknown field ${field}`);
      const current = await store.readField(trx, revision.case_slug, field);
      if (current === undefined) return { type: "not_found" };
      if (current !== revision.old_value) {
        // Someone changed the field after this was proposed: applying it would silently undo that change.
        await store.markDiscarded(trx, revisionId);
        await addAudit(trx, actor, "revision_stale", `case:${revision.case_slug}`, `revision:${revisionId}`, iso);
        return { type: "stale", revision: (await store.getRevision(trx, revisionId)) ?? revision };
      }
      if (!(await store.markConfirmed(trx, revisionId, actor))) {
        return { type: "already", revision: (await store.getRevision(trx, revisionId)) ?? revision };
      }
      await store.applyField(trx, revision.case_slug, field, revision.new_value, iso, await this.statusContext(trx, revision, iso));
      if (revision.reverts !== null) await store.markReverted(trx, revision.reverts);
      await addAudit(trx, actor, "revision_confirm", `case:${revision.case_slug}`, `${field} revision:${revisionId}`, iso);
      await bumpCasesRevision(trx, `${iso}#revision:${revisionId}`);
      return { type: "applied", revision: (await store.getRevision(trx, revisionId)) ?? revision };
    });
    if (result.type === "applied" && store.isRevisionField(result.revision.field)) {
      await this.afterChange(result.revision.case_slug, result.revision.field);
    }
    return result;
  }

  /**
   * Drops a pending revision (any moderator, the proposer included). A new case dropped before anyone
   * confirmed it is deleted: unconfirmed details about a person are not kept. The audit log keeps the slug.
   */
  async discard(revisionId: number, actor: number): Promise<DiscardResult> {
    if (!(await this.isStaff(actor))) return { type: "forbidden" };
    const iso = this.now().toISOString();
    return this.db.transaction().execute(async (trx): Promise<DiscardResult> => {
      const revision = await store.getRevision(trx, revisionId);
      if (!revision) return { type: "not_found" };
      if (!(await store.markDiscarded(trx, revisionId))) {
        return { type: "already", revision: (await store.getRevision(trx, revisionId)) ?? revision };
      }
      const discarded = (await store.getRevision(trx, revisionId)) ?? revision;
      let caseRemoved = false;
      if (revision.field === CASE_FIELD && revision.new_value === CASE_SHOWN && revision.reverts === null) {
        caseRemoved = await store.deleteHiddenCase(trx, revision.case_slug);
      }
      await addAudit(trx, actor, caseRemoved ? "case_discard" : "revision_discard", `case:${revision.case_slug}`, `revision:${revisionId}`, iso);
      return { type: "discarded", revision: discarded, caseRemoved };
    });
  }

  /**
   * Admins only: proposes to undo an applied revision, restoring the value it replaced. Always
   * sensitive: the revert is a pending revision that a second moderator confirms.
   */
  async revert(admin: number, revisionId: number, reason?: string): Promise<RevertResult> {
    if ((await this.roleOf(admin)) !== "admin") return { type: "forbidden" };
    const why = checkSource(reason ?? "");
    const source = why.ok ? why.value : `revert #${revisionId}`;
    const iso = this.now().toISOString();
    return this.db.transaction().execute(async (trx): Promise<RevertResult> => {
      const original = await store.getRevision(trx, revisionId);
      if (!original) return { type: "not_found" };
      if (original.state !== "applied") return { type: "not_applied", revision: original };
      const field = original.field;
      if (!store.isRevisionField(field)) return { type: "not_applied", revision: original };
      if (await store.hasPendingRevert(trx, revisionId)) return { type: "already_pending", revision: original };
      const current = await store.readField(trx, original.case_slug, field);
      if (current === undefined) return { type: "not_found" };
      if (current !== original.new_value) return { type: "stale", revision: original };
      if (original.old_value === null && REQUIRED.has(field)) return { type: "not_applied", revision: original };
      const id = await store.insertRevision(
        trx,
        {
          caseSlug: original.case_slug,
          field,
          oldValue: current,
          newValue: original.old_value,
          source,
          actorId: admin,
          state: "pending",
          reverts: revisionId,
        },
        iso,
      );
      await addAudit(trx, admin, "revert_proposed", `case:${original.case_slug}`, `revision:${revisionId} by:${id}`, iso);
      const revision = await store.getRevision(trx, id);
      if (!revision) throw new Error(`revision ${id} vanished`);
      return { type: "pending", revision };
    });
  }

  /** A case's revisions, newest first (moderators only). */
  async history(actor: number, slug: string, limit = 50): Promise<RevisionRow[] | "forbidden"> {
    if (!(await this.isStaff(actor))) return "forbidden";
    return store.listRevisions(this.db, slug, limit);
  }

  /** Revisions waiting for a second moderator, oldest first, with the names of their case. */
  async pending(actor: number, limit = 20): Promise<PendingRevisionRow[] | "forbidden"> {
    if (!(await this.isStaff(actor))) return "forbidden";
    return store.listPendingRevisions(this.db, limit);
  }

  async pendingCount(actor: number): Promise<number | "forbidden"> {
    if (!(await this.isStaff(actor))) return "forbidden";
    return store.countPendingRevisions(this.db);
  }

  async revision(actor: number, revisionId: number): Promise<RevisionRow | undefined | "forbidden"> {
    if (!(await this.isStaff(actor))) return "forbidden";
    return store.getRevision(this.db, revisionId);
  }

  /** A case as stored, hidden or not (for a second moderator checking a new case); not cached. */
  async draft(actor: number, slug: string): Promise<CaseDetail | undefined | "forbidden"> {
    if (!(await this.isStaff(actor))) return "forbidden";
    return findCase(this.db, slug);
  }

  /** The current value of a field of a visible case, as revisions store it. */
  async currentValue(actor: number, slug: string, field: EditableField): Promise<{ value: string | null } | "forbidden" | "not_found"> {
    if (!(await this.isStaff(actor))) return "forbidden";
    if ((await store.isVisible(this.db, slug)) !== true) return "not_found";
    const value = await store.readField(this.db, slug, field);
    return value === undefined ? "not_found" : { value };
  }

  /** Names and summaries missing in some language, case by case (by English name), field by field. */
  async missingTranslations(actor: number): Promise<MissingField[] | "forbidden"> {
    if (!(await this.isStaff(actor))) return "forbidden";
    const rows = await store.listMissingTranslations(this.db);
    return rows.flatMap((row) => row.missing.map((field) => ({ slug: row.slug, name: row.nameEn, field })));
  }

  /**
   * What the card says next to a status a confirmed revision sets: now and its source link; for a
   * revert, when and on which source the restored status took effect before (the report's when unknown).
   */
  private async statusContext(trx: DB, revision: RevisionRow, now: string): Promise<StatusContext> {
    if (revision.field !== "status" || revision.new_value === null) return { at: now, source: null };
    if (revision.reverts === null) return { at: now, source: linkOnly(revision.source) };
    const reverted = await store.getRevision(trx, revision.reverts);
    const before = await store.previousStatusContext(trx, revision.case_slug, revision.new_value, reverted?.created_at ?? revision.created_at);
    return before ? { at: before.at, source: before.source === null ? null : linkOnly(before.source) } : { at: null, source: null };
  }

  private async afterChange(slug: string, field: RevisionField): Promise<void> {
    this.cases.invalidate(slug);
    if (INDEXED.has(field)) await this.cases.refresh();
  }
}

import type { DB, Tx } from "./db.js";
import { bumpCasesRevision } from "./meta.js";
import { CASE_FIELD, CASE_SHOWN, type EditableField, isRevisionField, type RevisionField, type RevisionState, splitAliases, STATUS_REVIEW_FIELD, TRANSLATION_FIELDS, type TranslationField } from "../domain/fields.js";
import type { RevisionRow } from "./schema.js";

/**
 * The one writer of a case's fields: every change, status included (by /editcase, by an approval, by a
 * revert, by a new case), is a revision row written here, and only applyRevision()/confirmRevision()
 * write the field itself. Also new cases added by moderators and the queries of the case desk.
 */

type ColumnField = Exclude<EditableField, "aliases">;

export interface NewRevision {
  caseSlug: string;
  field: RevisionField;
  oldValue: string | null;
  newValue: string | null;
  source: string;
  actorId: number;
  state: "applied" | "pending";
  /** The id of the revision this one undoes. */
  reverts?: number | null;
  /** Who confirmed it, for a change applied on a second moderator's word. */
  confirmedBy?: number | null;
  /** The submission whose approval makes this change. */
  submissionId?: number | null;
}

/** A revision row: a change of a field, or (STATUS_REVIEW_FIELD) a status confirmed still true. */
export async function insertRevision(db: DB, r: Omit<NewRevision, "field"> & { field: RevisionField | typeof STATUS_REVIEW_FIELD }, now: string): Promise<number> {
  const row = await db
    .insertInto("case_revisions")
    .values({
      case_slug: r.caseSlug,
      field: r.field,
      old_value: r.oldValue,
      new_value: r.newValue,
      source: r.source,
      actor_id: r.actorId,
      created_at: now,
      state: r.state,
      confirmed_by: r.confirmedBy ?? null,
      reverts: r.reverts ?? null,
      submission_id: r.submissionId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function getRevision(db: DB, id: number): Promise<RevisionRow | undefined> {
  return db.selectFrom("case_revisions").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The revisions of one case, newest first. */
export async function listRevisions(db: DB, slug: string, limit = 50): Promise<RevisionRow[]> {
  return db.selectFrom("case_revisions").selectAll().where("case_slug", "=", slug).orderBy("id", "desc").limit(limit).execute();
}

export interface PendingRevisionRow extends RevisionRow {
  name_en: string;
  name_ru: string | null;
  name_kk: string | null;
  name_kk_latn: string | null;
}

/** Revisions waiting for a second moderator, oldest first, with the names of their case (visible or not). */
export async function listPendingRevisions(db: DB, limit = 20): Promise<PendingRevisionRow[]> {
  return db
    .selectFrom("case_revisions")
    .innerJoin("cases", "cases.slug", "case_revisions.case_slug")
    .selectAll("case_revisions")
    .select(["cases.name_en", "cases.name_ru", "cases.name_kk", "cases.name_kk_latn"])
    .where("case_revisions.state", "=", "pending")
    .orderBy("case_revisions.id")
    .limit(limit)
    .execute();
}

export async function countPendingRevisions(db: DB): Promise<number> {
  const row = await db
    .selectFrom("case_revisions")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("state", "=", "pending")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Moves a revision from one state to another. Returns false when it was no longer in `from`: the
 * conditional update is what makes two simultaneous confirmations apply a change once.
 */
async function moveState(db: DB, id: number, from: RevisionState, to: RevisionState, confirmedBy?: number): Promise<boolean> {
  const res = await db
    .updateTable("case_revisions")
    .set(confirmedBy === undefined ? { state: to } : { state: to, confirmed_by: confirmedBy })
    .where("id", "=", id)
    .where("state", "=", from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** A pending revision confirmed by a second moderator: it is applied. */
function markConfirmed(db: DB, id: number, confirmedBy: number): Promise<boolean> {
  return moveState(db, id, "pending", "applied", confirmedBy);
}

export function markDiscarded(db: DB, id: number): Promise<boolean> {
  return moveState(db, id, "pending", "discarded");
}

/** An applied revision undone by a later (confirmed) revert. */
function markReverted(db: DB, id: number): Promise<boolean> {
  return moveState(db, id, "applied", "reverted");
}

/** Whether a pending revert of this revision already waits for confirmation. */
export async function hasPendingRevert(db: DB, id: number): Promise<boolean> {
  const row = await db.selectFrom("case_revisions").select("id").where("reverts", "=", id).where("state", "=", "pending").executeTakeFirst();
  return row !== undefined;
}

/** The current value of a field as a revision stores it; undefined when there is no such case. */
export async function readField(db: DB, slug: string, field: RevisionField): Promise<string | null | undefined> {
  const row = await db.selectFrom("cases").selectAll().where("slug", "=", slug).executeTakeFirst();
  if (!row) return undefined;
  if (field === CASE_FIELD) return row.visible === 1 ? CASE_SHOWN : null;
  if (field === "aliases") {
    // Sorted here, not in SQL: PostgreSQL's collation orders differently, and values are compared as strings.
    const aliases = await db.selectFrom("case_aliases").select("alias").where("case_slug", "=", slug).execute();
    return aliases.length === 0 ? null : aliases.map((a) => a.alias).sort().join("\n");
  }
  return row[field];
}

async function replaceAliases(db: DB, slug: string, aliases: readonly string[]): Promise<void> {
  await db.deleteFrom("case_aliases").where("case_slug", "=", slug).execute();
  const unique = [...new Set(aliases)];
  if (unique.length > 0) await db.insertInto("case_aliases").values(unique.map((alias) => ({ case_slug: slug, alias }))).execute();
}

/** When a case's status took its value and on which link: what the card says next to the status. */
export interface StatusContext {
  at: string | null;
  source: string | null;
}

/**
 * Writes one field of a case. A status also gets when it took effect and its source link (`status`;
 * both null send the card back to "as of the report"). The "case" pseudo-field shows (CASE_SHOWN) or
 * hides (null) the case. Returns false when there is no such case.
 */
async function applyField(
  db: DB,
  slug: string,
  field: RevisionField,
  value: string | null,
  now: string,
  status: StatusContext = { at: now, source: null },
): Promise<boolean> {
  const exists = await db.selectFrom("cases").select("slug").where("slug", "=", slug).executeTakeFirst();
  if (!exists) return false;
  if (field === CASE_FIELD) return setVisible(db, slug, value === CASE_SHOWN, now);
  if (field === "aliases") {
    await replaceAliases(db, slug, splitAliases(value));
    await db.updateTable("cases").set({ updated_at: now }).where("slug", "=", slug).execute();
    return true;
  }
  if (field === "status") {
    if (value === null) throw new Error("a case's status cannot be empty");
    // A new status clears the last review: that confirmed the old one.
    await db
      .updateTable("cases")
      .set({ status: value, status_changed_at: status.at, status_source: status.source, status_reviewed_at: null, status_review_source: null, updated_at: now })
      .where("slug", "=", slug)
      .execute();
    return true;
  }
  const column: ColumnField = field;
  if ((column === "category" || column === "role" || column === "name_en") && value === null) throw new Error(`a case's ${column} cannot be empty`);
  await db
    .updateTable("cases")
    .set({ [column]: value, updated_at: now })
    .where("slug", "=", slug)
    .execute();
  return true;
}

/**
 * Records a change and writes it, in the caller's transaction: what every change applied at once
 * goes through. Returns the revision, or undefined when there is no such case.
 */
export async function applyRevision(trx: Tx, r: Omit<NewRevision, "state">, now: string, status: StatusContext): Promise<RevisionRow | undefined> {
  const id = await insertRevision(trx, { ...r, state: "applied" }, now);
  if (!(await applyField(trx, r.caseSlug, r.field, r.newValue, now, status))) return undefined;
  await bumpCasesRevision(trx, `${now}#revision:${id}`);
  return getRevision(trx, id);
}

/**
 * A pending revision confirmed by a second moderator: marked applied and written (and the revision it
 * reverts marked reverted). False when it no longer waited: two confirmations apply it once.
 */
export async function confirmRevision(trx: Tx, id: number, confirmedBy: number, now: string, status: StatusContext): Promise<boolean> {
  const revision = await getRevision(trx, id);
  if (!revision || !isRevisionField(revision.field)) return false;
  if (!(await markConfirmed(trx, id, confirmedBy))) return false;
  await applyField(trx, revision.case_slug, revision.field, revision.new_value, now, status);
  if (revision.reverts !== null) await markReverted(trx, revision.reverts);
  await bumpCasesRevision(trx, `${now}#revision:${id}`);
  return true;
}

/** A pending change's "from" value brought up to date (the field changed while it waited). */
export async function setOldValue(trx: Tx, id: number, oldValue: string | null): Promise<void> {
  await trx.updateTable("case_revisions").set({ old_value: oldValue }).where("id", "=", id).where("state", "=", "pending").execute();
}

/** The change waiting for a second moderator that belongs to a submission, if any. */
export async function pendingRevisionOfSubmission(db: DB, submissionId: number): Promise<RevisionRow | undefined> {
  return db.selectFrom("case_revisions").selectAll().where("submission_id", "=", submissionId).where("state", "=", "pending").executeTakeFirst();
}

/**
 * For a revert of a status: when and on which source the case last took `status` before `before` —
 * the latest status revision still applied. Null when none did (the status is the report's, or the one
 * the case was added with).
 */
export async function previousStatusContext(db: DB, slug: string, status: string, before: string): Promise<StatusContext | null> {
  const revision = await db
    .selectFrom("case_revisions")
    .select(["created_at", "source"])
    .where("case_slug", "=", slug)
    .where("field", "=", "status")
    .where("new_value", "=", status)
    .where("state", "=", "applied")
    .where("created_at", "<", before)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
  return revision ? { at: revision.created_at, source: revision.source } : null;
}

export interface NewModeratorCase {
  slug: string;
  category: string;
  role: string;
  status: string;
  nameEn: string;
  nameRu: string | null;
  nameKk: string | null;
  nameKkLatn: string | null;
  summaryEn: string | null;
  summaryRu: string | null;
  summaryKk: string | null;
  aliases: readonly string[];
  /** The source link the moderators gave for the case. */
  addedSource: string;
  visible: boolean;
}

/**
 * Adds a case from moderators (origin "moderators", no report source). Returns false, writing nothing,
 * when the slug is taken: the caller tries the next one.
 */
export async function insertModeratorCase(db: Tx, c: NewModeratorCase, now: string): Promise<boolean> {
  const res = await db
    .insertInto("cases")
    .values({
      slug: c.slug,
      category: c.category,
      role: c.role,
      status: c.status,
      origin: "moderators",
      source_id: null,
      name_en: c.nameEn,
      name_ru: c.nameRu,
      name_kk: c.nameKk,
      name_kk_latn: c.nameKkLatn,
      name_confirmed: 0,
      summary_en: c.summaryEn,
      summary_ru: c.summaryRu,
      summary_kk: c.summaryKk,
      status_changed_at: null,
      status_source: null,
      visible: c.visible ? 1 : 0,
      added_source: c.addedSource,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column("slug").doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
  await replaceAliases(db, c.slug, c.aliases);
  return true;
}

/** Slugs that start with `base` (for choosing a free one). */
export async function slugsLike(db: DB, base: string): Promise<Set<string>> {
  const rows = await db.selectFrom("cases").select("slug").where("slug", "like", `${base}%`).execute();
  return new Set(rows.map((r) => r.slug));
}

export async function setVisible(db: DB, slug: string, visible: boolean, now: string): Promise<boolean> {
  const res = await db.updateTable("cases").set({ visible: visible ? 1 : 0, updated_at: now }).where("slug", "=", slug).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function isVisible(db: DB, slug: string): Promise<boolean | undefined> {
  const row = await db.selectFrom("cases").select("visible").where("slug", "=", slug).executeTakeFirst();
  return row === undefined ? undefined : row.visible === 1;
}

/** Removes a case that was never shown (a new case its second moderator discarded). Refuses a visible one. */
export async function deleteHiddenCase(db: DB, slug: string): Promise<boolean> {
  const res = await db.deleteFrom("cases").where("slug", "=", slug).where("visible", "=", 0).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

export interface MissingTranslation {
  slug: string;
  nameEn: string;
  missing: TranslationField[];
}

function blank(value: string | null): boolean {
  return value === null || value.trim() === "";
}

/** Visible cases with an empty name or summary in some language, and which fields are empty; by English name. */
export async function listMissingTranslations(db: DB): Promise<MissingTranslation[]> {
  const rows = await db
    .selectFrom("cases")
    .select(["slug", "name_en", ...TRANSLATION_FIELDS])
    .where("visible", "=", 1)
    .where((eb) =>
      eb.or(
        TRANSLATION_FIELDS.flatMap((f) => [eb(f, "is", null), eb(eb.fn("trim", [f]), "=", "")]),
      ),
    )
    .orderBy("name_en")
    .orderBy("slug")
    .execute();
  return rows.map((row) => ({
    slug: row.slug,
    nameEn: row.name_en,
    missing: TRANSLATION_FIELDS.filter((f) => blank(row[f])),
  }));
}

export type StatusReviewResult = { type: "reviewed"; revisionId: number } | { type: "changed"; status: string } | { type: "not_found" };

/**
 * A moderator confirms that a case's status is still `status`, on a source: a revision (so /history
 * shows it) and the date the card and /stale read. Nothing is written when the status is no longer
 * `status` (changed since the moderator looked) or the case is not visible.
 */
export async function recordStatusReview(db: Tx, slug: string, status: string, source: string, actorId: number, now: string): Promise<StatusReviewResult> {
  const row = await db.selectFrom("cases").select(["status", "visible"]).where("slug", "=", slug).executeTakeFirst();
  if (!row || row.visible !== 1) return { type: "not_found" };
  if (row.status !== status) return { type: "changed", status: row.status };
  const res = await db
    .updateTable("cases")
    .set({ status_reviewed_at: now, status_review_source: source })
    .where("slug", "=", slug)
    .where("status", "=", status)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return { type: "changed", status: row.status };
  const revisionId = await insertRevision(
    db,
    { caseSlug: slug, field: STATUS_REVIEW_FIELD, oldValue: status, newValue: status, source, actorId, state: "applied" },
    now,
  );
  return { type: "reviewed", revisionId };
}


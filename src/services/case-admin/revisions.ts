import { isEditableField, isRevisionField, CASE_FIELD, CASE_SHOWN, REQUIRED_FIELDS } from "../../domain/fields.js";
import { checkFieldValue, checkSource, type InvalidReason, linkOnly, needsSecondModerator } from "../../domain/rules.js";
import { addAudit } from "../../store/audit.js";
import type { Tx } from "../../store/db.js";
import * as store from "../../store/revisions.js";
import type { StatusContext } from "../../store/revisions.js";
import type { RevisionRow, SubmissionRow } from "../../store/schema.js";
import * as subs from "../../store/submissions.js";
import { tellProposer, tellStaffOfRevision } from "../messages.js";
import { normalise, publishSubmission, rejectSubmission } from "../publish.js";
import { afterChange, type Desk } from "./desk.js";

/**
 * Changes to a case's fields, each a revision: an edit (applied at once, or pending when sensitive),
 * a second moderator's Confirm or Discard of what waits, and an admin's proposal to revert.
 */

export type EditResult =
  | { type: "applied"; revision: RevisionRow }
  | { type: "pending"; revision: RevisionRow }
  | { type: "unchanged" }
  | { type: "forbidden" }
  | { type: "not_found" }
  | { type: "invalid"; field: "field" | "value" | "source"; reason: InvalidReason };

export type ConfirmResult =
  /** `published`: the approval whose change of status this was, published now. */
  | { type: "applied"; revision: RevisionRow; published?: { submission: SubmissionRow; followers: number } }
  | { type: "same_moderator"; revision: RevisionRow }
  /** The author of a submission does not confirm its approval. */
  | { type: "own_submission"; revision: RevisionRow }
  | { type: "already"; revision: RevisionRow }
  /** The field changed since the revision was proposed: it was discarded rather than applied over the newer value. */
  | { type: "stale"; revision: RevisionRow }
  | { type: "forbidden" }
  | { type: "not_found" };

export type DiscardResult =
  /** `rejected`: the submission whose change of status was discarded, rejected with it. */
  | { type: "discarded"; revision: RevisionRow; caseRemoved: boolean; rejected?: SubmissionRow }
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


/**
 * Changes one field of a visible case, with the source of the change or the reason for it. A status
 * of released or deceased (or a change away from one) waits for a second moderator; anything else
 * is applied at once. Either way the revision records old and new value, source, actor and time.
 */
export async function editField(desk: Desk, actor: number, slug: string, field: string, value: string, source: string): Promise<EditResult> {
  if (!(await desk.roles.may(actor))) return { type: "forbidden" };
  if (!isEditableField(field)) return { type: "invalid", field: "field", reason: "code" };
  const checkedSource = checkSource(source);
  if (!checkedSource.ok) return { type: "invalid", field: "source", reason: checkedSource.reason };
  const checked = checkFieldValue(field, value);
  if (!checked.ok) return { type: "invalid", field: "value", reason: checked.reason };
  const newValue = checked.value;
  const iso = desk.now().toISOString();
  const result = await desk.db.transaction().execute(async (trx): Promise<EditResult> => {
    if ((await store.isVisible(trx, slug)) !== true) return { type: "not_found" };
    const oldValue = await store.readField(trx, slug, field);
    if (oldValue === undefined) return { type: "not_found" };
    if (oldValue === newValue) return { type: "unchanged" };
    const sensitive = needsSecondModerator({ field, oldValue, newValue });
    const change = { caseSlug: slug, field, oldValue, newValue, source: checkedSource.value, actorId: actor };
    let revision: RevisionRow | undefined;
    if (sensitive) revision = await store.getRevision(trx, await store.insertRevision(trx, { ...change, state: "pending" }, iso));
    else revision = await store.applyRevision(trx, change, iso, { at: iso, source: linkOnly(checkedSource.value) });
    if (!revision) throw new Error(`a revision of ${slug} vanished`);
    await addAudit(trx, actor, sensitive ? "case_edit_proposed" : "case_edit", `case:${slug}`, `${field} revision:${revision.id}`, iso);
    if (sensitive) await tellStaffOfRevision(trx, revision, iso);
    return { type: sensitive ? "pending" : "applied", revision };
  });
  if (result.type === "applied") await afterChange(desk, slug, field);
  return result;
}

/**
 * A second moderator's confirmation of whatever waits for one (a new case, an edit, a revert, an
 * approval that changes a status, which is published now); never by the one who proposed it, nor by
 * the author of the submission.
 */
export async function confirm(desk: Desk, revisionId: number, actor: number): Promise<ConfirmResult> {
  if (!(await desk.roles.may(actor))) return { type: "forbidden" };
  const now = desk.now();
  const iso = now.toISOString();
  const result = await desk.db.transaction().execute(async (trx): Promise<ConfirmResult> => {
    const revision = await store.getRevision(trx, revisionId);
    if (!revision) return { type: "not_found" };
    if (revision.state !== "pending") return { type: "already", revision };
    if (revision.actor_id === actor) return { type: "same_moderator", revision };
    const field = revision.field;
    if (!isRevisionField(field)) throw new Error(`revision ${revisionId} has an unknown field ${field}`);
    if (revision.submission_id !== null) return publishWaiting(trx, revision, actor, now);
    const current = await store.readField(trx, revision.case_slug, field);
    if (current === undefined) return { type: "not_found" };
    if (current !== revision.old_value) {
      // Someone changed the field after this was proposed: applying it would silently undo that change.
      // Unless the change is this revision itself, confirmed by another moderator a moment ago (on
      // PostgreSQL the field is read after their commit): then it is no longer pending to discard.
      if (!(await store.markDiscarded(trx, revisionId))) {
        return { type: "already", revision: (await store.getRevision(trx, revisionId)) ?? revision };
      }
      await addAudit(trx, actor, "revision_stale", `case:${revision.case_slug}`, `revision:${revisionId}`, iso);
      return { type: "stale", revision: (await store.getRevision(trx, revisionId)) ?? revision };
    }
    if (!(await store.confirmRevision(trx, revisionId, actor, iso, await statusContext(trx, revision, iso)))) {
      return { type: "already", revision: (await store.getRevision(trx, revisionId)) ?? revision };
    }
    await addAudit(trx, actor, "revision_confirm", `case:${revision.case_slug}`, `${field} revision:${revisionId}`, iso);
    await tellProposer(trx, revision, actor, "confirmed", iso);
    return { type: "applied", revision: (await store.getRevision(trx, revisionId)) ?? revision };
  });
  if (result.type === "applied" && isRevisionField(result.revision.field)) {
    await afterChange(desk, result.revision.case_slug, result.revision.field);
  }
  return result;
}

/** Confirming the status change of an approval publishes the submission it belongs to. */
async function publishWaiting(trx: Tx, revision: RevisionRow, actor: number, now: Date): Promise<ConfirmResult> {
  const submission = await subs.getSubmission(trx, revision.submission_id ?? 0);
  if (!submission || submission.status !== "awaiting_confirmation") {
    await store.markDiscarded(trx, revision.id);
    return { type: "already", revision: (await store.getRevision(trx, revision.id)) ?? revision };
  }
  if (submission.author_id === actor) return { type: "own_submission", revision };
  const typed = normalise({ type: submission.update_type ?? "other", newStatus: submission.new_status, hearingDate: submission.hearing_date });
  const published = await publishSubmission(trx, submission, actor, typed, "awaiting_confirmation", now, revision);
  if (published.type === "already") return { type: "already", revision };
  const updated = (await store.getRevision(trx, revision.id)) ?? revision;
  await tellProposer(trx, revision, actor, "confirmed", now.toISOString());
  return { type: "applied", revision: updated, published: { submission: published.submission, followers: published.followers } };
}

/**
 * Drops a pending revision (any moderator, the proposer included). A new case dropped before anyone
 * confirmed it is deleted: unconfirmed details about a person are not kept. The audit log keeps the slug.
 */
export async function discard(desk: Desk, revisionId: number, actor: number): Promise<DiscardResult> {
  if (!(await desk.roles.may(actor))) return { type: "forbidden" };
  const iso = desk.now().toISOString();
  return desk.db.transaction().execute(async (trx): Promise<DiscardResult> => {
    const revision = await store.getRevision(trx, revisionId);
    if (!revision) return { type: "not_found" };
    if (!(await store.markDiscarded(trx, revisionId))) {
      return { type: "already", revision: (await store.getRevision(trx, revisionId)) ?? revision };
    }
    const discarded = (await store.getRevision(trx, revisionId)) ?? revision;
    if (revision.submission_id !== null) {
      // An approval's change of status discarded: the submission is rejected with it.
      const submission = await subs.getSubmission(trx, revision.submission_id);
      const rejected = submission ? await rejectSubmission(trx, submission, actor, null, iso) : undefined;
      await tellProposer(trx, revision, actor, "discarded", iso);
      return { type: "discarded", revision: discarded, caseRemoved: false, ...(rejected ? { rejected } : {}) };
    }
    let caseRemoved = false;
    if (revision.field === CASE_FIELD && revision.new_value === CASE_SHOWN && revision.reverts === null) {
      caseRemoved = await store.deleteHiddenCase(trx, revision.case_slug);
    }
    await addAudit(trx, actor, caseRemoved ? "case_discard" : "revision_discard", `case:${revision.case_slug}`, `revision:${revisionId}`, iso);
    await tellProposer(trx, revision, actor, "discarded", iso);
    return { type: "discarded", revision: discarded, caseRemoved };
  });
}

/**
 * Admins only: proposes to undo an applied revision, restoring the value it replaced. Always
 * sensitive: the revert is a pending revision that a second moderator confirms.
 */
export async function revert(desk: Desk, admin: number, revisionId: number, reason?: string): Promise<RevertResult> {
  if (!(await desk.roles.may(admin, true))) return { type: "forbidden" };
  const why = checkSource(reason ?? "");
  const source = why.ok ? why.value : `revert #${revisionId}`;
  const iso = desk.now().toISOString();
  return desk.db.transaction().execute(async (trx): Promise<RevertResult> => {
    const original = await store.getRevision(trx, revisionId);
    if (!original) return { type: "not_found" };
    if (original.state !== "applied") return { type: "not_applied", revision: original };
    const field = original.field;
    if (!isRevisionField(field)) return { type: "not_applied", revision: original };
    if (await store.hasPendingRevert(trx, revisionId)) return { type: "already_pending", revision: original };
    const current = await store.readField(trx, original.case_slug, field);
    if (current === undefined) return { type: "not_found" };
    if (current !== original.new_value) return { type: "stale", revision: original };
    if (original.old_value === null && REQUIRED_FIELDS.has(field)) return { type: "not_applied", revision: original };
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
    await tellStaffOfRevision(trx, revision, iso);
    return { type: "pending", revision };
  });
}

/**
 * What the card says next to a status a confirmed revision sets: now and its source link; for a
 * revert, when and on which source the restored status took effect before (the report's when unknown).
 */
async function statusContext(trx: Tx, revision: RevisionRow, now: string): Promise<StatusContext> {
  if (revision.field !== "status" || revision.new_value === null) return { at: now, source: null };
  if (revision.reverts === null) return { at: now, source: linkOnly(revision.source) };
  const reverted = await store.getRevision(trx, revision.reverts);
  const before = await store.previousStatusContext(trx, revision.case_slug, revision.new_value, reverted?.created_at ?? revision.created_at);
  return before ? { at: before.at, source: before.source === null ? null : linkOnly(before.source) } : { at: null, source: null };
}

import { isStatus, isUpdateType, type Status, type UpdateType } from "../domain/codes.js";
import { linkOnly, parseDay, reminderTime } from "../domain/rules.js";
import { addAudit } from "../store/audit.js";
import type { Tx } from "../store/db.js";
import { enqueueForFollowers } from "../store/deliveries.js";
import { insertUpdateEvent } from "../store/events.js";
import { bumpCasesRevision } from "../store/meta.js";
import * as revisions from "../store/revisions.js";
import type { RevisionRow, SubmissionRow } from "../store/schema.js";
import * as subs from "../store/submissions.js";
import { tellAuthor } from "./messages.js";

/**
 * The steps of a submission's decision that more than one use case takes, each in the caller's
 * transaction: an approval publishes at once, a second moderator's Confirm publishes what waited, and
 * a Discard of what waited rejects it.
 */

export interface TypedDecision {
  type: string;
  /** The status the update sets, when the moderator confirmed it. */
  newStatus?: string | null;
  /** YYYY-MM-DD of a hearing, for the reminder the day before. */
  hearingDate?: string | null;
}

export interface Typed {
  type: UpdateType;
  newStatus: Status | null;
  hearingDate: string | null;
}

export function normalise(d: TypedDecision): Typed {
  const type = isUpdateType(d.type) ? d.type : "other";
  const newStatus = isStatus(d.newStatus) ? d.newStatus : null;
  const hearingDate = type === "hearing" && d.hearingDate && parseDay(d.hearingDate) !== undefined ? d.hearingDate : null;
  return { type, newStatus, hearingDate };
}

/** What the revision of a submission's status change says its source is. */
export function submissionSource(s: SubmissionRow): string {
  return s.source_url ?? `submission #${s.id}`;
}

export type Published = { type: "approved"; submission: SubmissionRow; eventId: number; followers: number; statusChanged: boolean } | { type: "already"; submission: SubmissionRow };

/**
 * Publishes a submission: a dated timeline event, the case's new status if any (a revision: the one
 * writer of case fields; `waiting` is the revision a second moderator confirms now), one delivery per
 * follower, a hearing's reminders. Only the first of two simultaneous decisions gets past the
 * conditional update.
 */
export async function publishSubmission(
  trx: Tx,
  submission: SubmissionRow,
  moderatorId: number,
  typed: Typed,
  from: "pending" | "awaiting_confirmation",
  now: Date,
  waiting?: RevisionRow,
): Promise<Published> {
  const iso = now.toISOString();
  const decided = await subs.markDecided(trx, submission.id, { status: "approved", by: moderatorId, at: iso, reason: null, eventId: null, from }, typed);
  if (!decided) return { type: "already", submission: (await subs.getSubmission(trx, submission.id)) ?? submission };
  const slug = submission.case_slug;
  const current = (await revisions.readField(trx, slug, "status")) ?? null;
  const changed = typed.newStatus !== null && current !== typed.newStatus;
  const status = { at: iso, source: submission.source_url };
  if (waiting) {
    if (changed) {
      if (waiting.old_value !== current) await revisions.setOldValue(trx, waiting.id, current);
      await revisions.confirmRevision(trx, waiting.id, moderatorId, iso, status);
    } else {
      await revisions.markDiscarded(trx, waiting.id);
    }
  } else if (changed) {
    const source = submissionSource(submission);
    await revisions.applyRevision(trx, { caseSlug: slug, field: "status", oldValue: current, newValue: typed.newStatus, source, actorId: moderatorId, submissionId: submission.id }, iso, { at: iso, source: linkOnly(source) });
  }
  const lang = submission.lang === "ru" || submission.lang === "kk" ? submission.lang : "en";
  const eventId = await insertUpdateEvent(
    trx,
    {
      caseSlug: slug,
      date: iso.slice(0, 10),
      lang,
      text: submission.text,
      sourceUrl: submission.source_url,
      type: typed.type,
      statusFrom: changed ? current : null,
      statusTo: changed ? typed.newStatus : null,
      hearingDate: typed.hearingDate,
    },
    iso,
  );
  await subs.setSubmissionEvent(trx, submission.id, eventId);
  const followers = await enqueueForFollowers(trx, eventId, slug, { dueMs: now.getTime(), now: iso }, { kind: "update", statusChange: changed });
  const reminderAt = typed.hearingDate ? reminderTime(typed.hearingDate) : undefined;
  if (reminderAt !== undefined && reminderAt > now.getTime() - 12 * 3600_000) {
    await enqueueForFollowers(trx, eventId, slug, { dueMs: reminderAt, now: iso }, { kind: "reminder", statusChange: false });
  }
  await addAudit(trx, moderatorId, "approve", `submission:${submission.id}`, `event:${eventId} ${typed.type}${changed ? ` status:${typed.newStatus}` : ""}`, iso);
  await bumpCasesRevision(trx, `${iso}#event:${eventId}`);
  const updated = (await subs.getSubmission(trx, submission.id)) ?? submission;
  await tellAuthor(trx, updated, iso);
  return { type: "approved", submission: updated, eventId, followers, statusChanged: changed };
}

/** Rejects a submission (pending, or waiting for a second moderator: what waited is discarded with it). */
export async function rejectSubmission(trx: Tx, submission: SubmissionRow, moderatorId: number, reason: string | null, iso: string): Promise<SubmissionRow | undefined> {
  const from = submission.status === "awaiting_confirmation" ? "awaiting_confirmation" : "pending";
  const decided = await subs.markDecided(trx, submission.id, { status: "rejected", by: moderatorId, at: iso, reason, eventId: null, from });
  if (!decided) return undefined;
  const waiting = await revisions.pendingRevisionOfSubmission(trx, submission.id);
  if (waiting) await revisions.markDiscarded(trx, waiting.id);
  await addAudit(trx, moderatorId, "reject", `submission:${submission.id}`, reason, iso);
  const rejected = (await subs.getSubmission(trx, submission.id)) ?? submission;
  await tellAuthor(trx, rejected, iso);
  return rejected;
}

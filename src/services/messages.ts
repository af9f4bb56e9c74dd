import type { CaseDetail } from "../domain/case.js";
import { CASE_FIELD } from "../domain/fields.js";
import { findCase } from "../store/cases.js";
import type { DB, Tx } from "../store/db.js";
import { deleteDelivery, enqueueMessages, messageSubject } from "../store/deliveries.js";
import { getRevision } from "../store/revisions.js";
import type { RevisionRow, SubmissionRow } from "../store/schema.js";
import { eraseAuthor, getSubmission } from "../store/submissions.js";
import { listStaff } from "../store/users.js";
import type { MessageKind } from "./notifications/types.js";

/**
 * Messages to authors and staff are outbox rows written in the transaction of the decision they tell
 * of: when the process dies right after it, the message still goes out. These enqueue them; the
 * notice sender reads back what each is about (describe) and words it in its reader's language.
 */

function at(now: string): { dueMs: number; now: string } {
  return { dueMs: Date.parse(now), now };
}

/**
 * An anonymous submission reaches the moderators after a random delay in this range: shown the moment
 * the author presses Send, its arrival would tell a moderator when the author was active. Until then
 * it is in no /queue and no decision finds it; decided meanwhile, it is not announced at all.
 */
export const ANONYMOUS_NOTICE_DELAY_MS = { min: 2 * 60_000, max: 15 * 60_000 };

/** When moderators may first see a submission sent at `now` (ISO). */
export function shownAt(now: string, anonymous: boolean, random: () => number = Math.random): string {
  if (!anonymous) return now;
  const { min, max } = ANONYMOUS_NOTICE_DELAY_MS;
  return new Date(Date.parse(now) + min + Math.floor(random() * (max - min))).toISOString();
}

/** A new submission, to every moderator and admin, when they may see it (an anonymous one after a random delay). */
export async function tellStaffOfSubmission(trx: Tx, submission: SubmissionRow, now: string): Promise<void> {
  const staff = await listStaff(trx);
  const when = at(submission.shown_at !== null && submission.shown_at > now ? submission.shown_at : now);
  await enqueueMessages(trx, staff.map((m) => ({ userId: m.telegram_id, kind: "staff_submission" satisfies MessageKind, submissionId: submission.id })), when);
}

/** A change waiting for a second moderator, to every moderator and admin but the one who proposed it. */
export async function tellStaffOfRevision(trx: Tx, revision: RevisionRow, now: string): Promise<void> {
  const staff = (await listStaff(trx)).filter((m) => m.telegram_id !== revision.actor_id);
  await enqueueMessages(trx, staff.map((m) => ({ userId: m.telegram_id, kind: "staff_revision" satisfies MessageKind, revisionId: revision.id })), at(now));
}

/** The decision on their news, to its author (whose id a /forget has not erased). */
export async function tellAuthor(trx: Tx, submission: SubmissionRow, now: string): Promise<void> {
  if (submission.author_id === null) return;
  await enqueueMessages(trx, [{ userId: submission.author_id, kind: "author_decision" satisfies MessageKind, submissionId: submission.id }], at(now));
}

/** What the second moderator decided, to whoever proposed the change. */
export async function tellProposer(trx: Tx, revision: RevisionRow, decidedBy: number, decision: "confirmed" | "discarded", now: string): Promise<void> {
  if (revision.actor_id === decidedBy) return;
  // The revision itself may be gone by the time this is sent (a discarded new case is deleted with it).
  const payload = JSON.stringify({ by: decidedBy, decision, id: revision.id, slug: revision.case_slug });
  await enqueueMessages(trx, [{ userId: revision.actor_id, kind: "proposer_decision" satisfies MessageKind, revisionId: revision.id, payload }], at(now));
}

/** Everything a message needs to be worded, read when it is sent (so it says how things stand then). */
export interface MessageSubject {
  submission: SubmissionRow | null;
  revision: RevisionRow | null;
  /** For a new case waiting for confirmation: the case as stored (hidden). */
  draft: CaseDetail | null;
  /** The news a status change of an approval comes with. */
  news: string | null;
  decidedBy: number | null;
  decision: "confirmed" | "discarded" | null;
  /** The change decided and its case, as they were when the decision was made. */
  changeId: number | null;
  caseSlug: string | null;
}

export class MessageService {
  constructor(private readonly db: DB) {}

  /**
   * The author has been told the decision (or cannot be reached): the submission forgets its author
   * and the message's row is deleted, so that nothing in the database or a backup links them.
   */
  async authorTold(deliveryId: number): Promise<void> {
    const row = await messageSubject(this.db, deliveryId);
    await this.db.transaction().execute(async (trx) => {
      if (row?.submission_id != null) await eraseAuthor(trx, row.submission_id);
      await deleteDelivery(trx, deliveryId);
    });
  }

  async describe(deliveryId: number): Promise<MessageSubject | undefined> {
    const row = await messageSubject(this.db, deliveryId);
    if (!row) return undefined;
    const revision = row.revision_id === null ? null : ((await getRevision(this.db, row.revision_id)) ?? null);
    const submissionId = row.submission_id ?? revision?.submission_id ?? null;
    const submission = submissionId === null ? null : ((await getSubmission(this.db, submissionId)) ?? null);
    const draft = revision && revision.field === CASE_FIELD ? ((await findCase(this.db, revision.case_slug)) ?? null) : null;
    let decidedBy: number | null = null;
    let decision: "confirmed" | "discarded" | null = null;
    let changeId: number | null = revision?.id ?? null;
    let caseSlug: string | null = revision?.case_slug ?? submission?.case_slug ?? null;
    if (row.payload) {
      try {
        const p = JSON.parse(row.payload) as { by?: unknown; decision?: unknown; id?: unknown; slug?: unknown };
        if (typeof p.by === "number") decidedBy = p.by;
        if (p.decision === "confirmed" || p.decision === "discarded") decision = p.decision;
        if (typeof p.id === "number") changeId = p.id;
        if (typeof p.slug === "string") caseSlug = p.slug;
      } catch {
        // A payload we cannot read: the message is worded without it.
      }
    }
    const news = revision?.submission_id != null ? (submission?.text ?? null) : null;
    return { submission, revision, draft, news, decidedBy, decision, changeId, caseSlug };
  }
}

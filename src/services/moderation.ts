import type { Lang } from "../domain/codes.js";
import { clip, detectTextLanguage, MAX_PENDING_PER_AUTHOR, needsSecondModerator, parseSourceUrl, REASON_MAX, TEXT_MAX, TEXT_MIN, withinLength } from "../domain/rules.js";
import { addAudit } from "../store/audit.js";
import type { DB } from "../store/db.js";
import { getEvent, setEventTranslation } from "../store/events.js";
import { bumpCasesRevision } from "../store/meta.js";
import * as revisions from "../store/revisions.js";
import type { RevisionRow, SubmissionRow } from "../store/schema.js";
import * as subs from "../store/submissions.js";
import { lockAuthor } from "../store/users.js";
import { normalise, publishSubmission, rejectSubmission, submissionSource, type TypedDecision } from "./publish.js";
import { shownAt, tellStaffOfRevision, tellStaffOfSubmission } from "./messages.js";
import { RoleService } from "./roles.js";

export type { TypedDecision } from "./publish.js";

export type SubmitResult = { ok: true; id: number } | { ok: false; reason: "limit" | "text_length" | "bad_url" | "no_case" };

export type DecisionResult =
  | { type: "approved"; submission: SubmissionRow; eventId: number; followers: number; statusChanged: boolean }
  /** The change of status waits for a second moderator: `revision` is what they confirm or discard. */
  | { type: "awaiting"; submission: SubmissionRow; revision: RevisionRow }
  /** Nobody approves their own submission. */
  | { type: "own_submission"; submission: SubmissionRow }
  | { type: "rejected"; submission: SubmissionRow }
  | { type: "already"; submission: SubmissionRow }
  | { type: "not_found" }
  | { type: "forbidden" };

/**
 * Submissions and their moderation. Every action that needs a role checks it here, against the
 * database, at the moment it runs: a button shown yesterday to a moderator demoted today does nothing.
 */
export class ModerationService {
  private readonly roles: RoleService;

  constructor(
    private readonly db: DB,
    private readonly cases: { brief(slug: string): unknown; invalidate(slug: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.roles = new RoleService(db);
  }

  pendingCount(authorId: number): Promise<number> {
    return subs.countPendingByAuthor(this.db, authorId);
  }

  /**
   * Stores a submission. At most MAX_PENDING_PER_AUTHOR wait per author, across processes: the
   * author's row is locked while counting, so simultaneous submits are counted one after another.
   */
  async submit(input: { caseSlug: string; authorId: number; authorLang: Lang; text: string; sourceUrl: string | null; anonymous?: boolean }): Promise<SubmitResult> {
    if (this.cases.brief(input.caseSlug) === undefined) return { ok: false, reason: "no_case" };
    if (!withinLength(input.text, TEXT_MIN, TEXT_MAX)) return { ok: false, reason: "text_length" };
    if (input.sourceUrl !== null && parseSourceUrl(input.sourceUrl) === undefined) return { ok: false, reason: "bad_url" };
    const now = this.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      // The author's language is kept (for a new row) so that the decision reaches them in it.
      await lockAuthor(trx, input.authorId, input.authorLang, now);
      if ((await subs.countPendingByAuthor(trx, input.authorId)) >= MAX_PENDING_PER_AUTHOR) return { ok: false, reason: "limit" } as const;
      const id = await subs.createSubmission(
        trx,
        {
          caseSlug: input.caseSlug,
          authorId: input.authorId,
          text: input.text,
          sourceUrl: input.sourceUrl,
          lang: detectTextLanguage(input.text),
          anonymous: input.anonymous === true,
          shownAt: shownAt(now, input.anonymous === true),
        },
        now,
      );
      const saved = await subs.getSubmission(trx, id);
      if (saved) await tellStaffOfSubmission(trx, saved, now);
      return { ok: true, id } as const;
    });
  }

  /** A submission as moderators see it: an anonymous one not before it is shown to them. */
  get(id: number): Promise<SubmissionRow | undefined> {
    return subs.getShownSubmission(this.db, id, this.now().toISOString());
  }

  /** Submissions waiting for a first decision (those waiting for a second moderator are pending revisions). */
  async pending(moderatorId: number, limit = 20): Promise<SubmissionRow[] | "forbidden"> {
    if (!(await this.roles.may(moderatorId))) return "forbidden";
    return subs.listPending(this.db, limit, this.now().toISOString());
  }

  /**
   * Approves a submission as an update of the given type. A change of status from or to released or
   * deceased waits for a second moderator as a pending revision (confirmed through the case desk's
   * Confirm, which publishes it); anything else is published at once.
   */
  async approve(submissionId: number, moderatorId: number, decision: TypedDecision = { type: "other" }): Promise<DecisionResult> {
    if (!(await this.roles.may(moderatorId))) return { type: "forbidden" };
    const typed = normalise(decision);
    const now = this.now();
    const iso = now.toISOString();
    const result = await this.db.transaction().execute(async (trx): Promise<DecisionResult> => {
      const submission = await subs.getShownSubmission(trx, submissionId, iso);
      if (!submission) return { type: "not_found" };
      if (submission.status !== "pending") return { type: "already", submission };
      if (submission.author_id === moderatorId) return { type: "own_submission", submission };
      const current = (await revisions.readField(trx, submission.case_slug, "status")) ?? null;
      if (typed.newStatus !== null && current !== typed.newStatus && needsSecondModerator({ field: "status", oldValue: current, newValue: typed.newStatus })) {
        const held = await subs.markAwaiting(trx, submissionId, { by: moderatorId, at: iso, ...typed });
        if (!held) return { type: "already", submission: (await subs.getSubmission(trx, submissionId)) ?? submission };
        const id = await revisions.insertRevision(
          trx,
          { caseSlug: submission.case_slug, field: "status", oldValue: current, newValue: typed.newStatus, source: submissionSource(submission), actorId: moderatorId, state: "pending", submissionId },
          iso,
        );
        await addAudit(trx, moderatorId, "approve_first", `submission:${submissionId}`, `${typed.type}:${typed.newStatus} revision:${id}`, iso);
        const revision = await revisions.getRevision(trx, id);
        if (!revision) throw new Error(`revision ${id} vanished`);
        await tellStaffOfRevision(trx, revision, iso);
        return { type: "awaiting", submission: (await subs.getSubmission(trx, submissionId)) ?? submission, revision };
      }
      return publishSubmission(trx, submission, moderatorId, typed, "pending", now);
    });
    if (result.type === "approved") this.cases.invalidate(result.submission.case_slug);
    return result;
  }

  async reject(submissionId: number, moderatorId: number, reason: string | null): Promise<DecisionResult> {
    if (!(await this.roles.may(moderatorId))) return { type: "forbidden" };
    const iso = this.now().toISOString();
    const why = reason === null ? null : clip(reason.trim(), REASON_MAX) || null;
    return this.db.transaction().execute(async (trx): Promise<DecisionResult> => {
      const submission = await subs.getShownSubmission(trx, submissionId, iso);
      if (!submission) return { type: "not_found" };
      const rejected = await rejectSubmission(trx, submission, moderatorId, why, iso);
      if (!rejected) return { type: "already", submission: (await subs.getSubmission(trx, submissionId)) ?? submission };
      return { type: "rejected", submission: rejected };
    });
  }

  /** Adds a translation of an approved update; returns the case slug, or why not. */
  async translate(
    moderatorId: number,
    eventId: number,
    lang: Lang,
    text: string,
  ): Promise<{ ok: true; slug: string } | { ok: false; reason: "forbidden" | "not_found" | "original" | "text_length" }> {
    if (!(await this.roles.may(moderatorId))) return { ok: false, reason: "forbidden" };
    if (!withinLength(text, TEXT_MIN, TEXT_MAX)) return { ok: false, reason: "text_length" };
    const event = await getEvent(this.db, eventId);
    if (!event || event.origin !== "update") return { ok: false, reason: "not_found" };
    if (event.original_lang === lang) return { ok: false, reason: "original" };
    const iso = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await setEventTranslation(trx, eventId, lang, text.trim());
      await addAudit(trx, moderatorId, "translate", `event:${eventId}`, lang, iso);
      await bumpCasesRevision(trx, `${iso}#translate:${eventId}:${lang}`);
    });
    this.cases.invalidate(event.case_slug);
    return { ok: true, slug: event.case_slug };
  }
}

import { isStatus, isUpdateType, type Lang, SENSITIVE_STATUSES, type Status, type UpdateType } from "../domain/codes.js";
import { setCaseStatus } from "../store/cases.js";
import { addAudit } from "../store/audit.js";
import { bumpCasesRevision } from "../store/meta.js";
import type { DB } from "../store/db.js";
import { enqueueForFollowers } from "../store/deliveries.js";
import { getEvent, insertUpdateEvent, setEventTranslation } from "../store/events.js";
import type { SubmissionRow } from "../store/schema.js";
import * as subs from "../store/submissions.js";
import { getUserRole, setUserLanguage } from "../store/users.js";
import { detectTextLanguage, MAX_PENDING_PER_AUTHOR, parseDay, parseSourceUrl, REASON_MAX, reminderTime, TEXT_MAX, TEXT_MIN, clip, withinLength } from "../domain/rules.js";
import { RoleService } from "./roles.js";

export type SubmitResult = { ok: true; id: number } | { ok: false; reason: "limit" | "text_length" | "bad_url" | "no_case" };

export type DecisionResult =
  | { type: "approved"; submission: SubmissionRow; eventId: number; followers: number; statusChanged: boolean }
  | { type: "awaiting"; submission: SubmissionRow }
  | { type: "same_moderator"; submission: SubmissionRow }
  | { type: "rejected"; submission: SubmissionRow }
  | { type: "already"; submission: SubmissionRow }
  | { type: "not_found" }
  | { type: "forbidden" };

export interface TypedDecision {
  type: string;
  /** The status the update sets, when the moderator confirmed it. */
  newStatus?: string | null;
  /** YYYY-MM-DD of a hearing, for the reminder the day before. */
  hearingDate?: string | null;
}

interface Typed {
  type: UpdateType;
  newStatus: Status | null;
  hearingDate: string | null;
}

function normalise(d: TypedDecision): Typed {
  const type = isUpdateType(d.type) ? d.type : "other";
  const newStatus = isStatus(d.newStatus) ? d.newStatus : null;
  const hearingDate = type === "hearing" && d.hearingDate && parseDay(d.hearingDate) !== undefined ? d.hearingDate : null;
  return { type, newStatus, hearingDate };
}

/**
 * Submissions and their moderation. Every action that needs a role checks it here, against the
 * database, at the moment it runs: a button shown yesterday to a moderator demoted today does nothing.
 */
export class ModerationService {
  constructor(
    private readonly db: DB,
    private readonly cases: { brief(slug: string): unknown; invalidate(slug: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.roles = new RoleService(db);
  }

  private readonly roles: RoleService;

  pendingCount(authorId: number): Promise<number> {
    return subs.countPendingByAuthor(this.db, authorId);
  }

  async submit(input: { caseSlug: string; authorId: number; authorLang: Lang; text: string; sourceUrl: string | null; anonymous?: boolean }): Promise<SubmitResult> {
    if (this.cases.brief(input.caseSlug) === undefined) return { ok: false, reason: "no_case" };
    if (!withinLength(input.text, TEXT_MIN, TEXT_MAX)) return { ok: false, reason: "text_length" };
    if (input.sourceUrl !== null && parseSourceUrl(input.sourceUrl) === undefined) return { ok: false, reason: "bad_url" };
    const now = this.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      if ((await subs.countPendingByAuthor(trx, input.authorId)) >= MAX_PENDING_PER_AUTHOR) return { ok: false, reason: "limit" } as const;
      // The author's language is kept so that the decision reaches them in it.
      if ((await getUserRole(trx, input.authorId)) === null) await setUserLanguage(trx, input.authorId, input.authorLang, now);
      const id = await subs.createSubmission(
        trx,
        {
          caseSlug: input.caseSlug,
          authorId: input.authorId,
          text: input.text,
          sourceUrl: input.sourceUrl,
          lang: detectTextLanguage(input.text),
          anonymous: input.anonymous === true,
        },
        now,
      );
      return { ok: true, id } as const;
    });
  }

  get(id: number): Promise<SubmissionRow | undefined> {
    return subs.getSubmission(this.db, id);
  }

  async pending(moderatorId: number, limit = 20): Promise<SubmissionRow[] | "forbidden"> {
    if (!(await this.roles.may(moderatorId))) return "forbidden";
    return subs.listPending(this.db, limit);
  }

  /**
   * Approves a submission as an update of the given type. A change of status to released or deceased
   * waits for a second moderator (confirm()); anything else is published at once: a dated timeline
   * event, the case's new status if any, and one delivery per follower, in one transaction. Only the
   * first of two simultaneous approvals gets past the conditional update.
   */
  async approve(submissionId: number, moderatorId: number, decision: TypedDecision = { type: "other" }): Promise<DecisionResult> {
    if (!(await this.roles.may(moderatorId))) return { type: "forbidden" };
    const typed = normalise(decision);
    const now = this.now();
    const iso = now.toISOString();
    const result = await this.db.transaction().execute(async (trx): Promise<DecisionResult> => {
      const submission = await subs.getSubmission(trx, submissionId);
      if (!submission) return { type: "not_found" };
      if (typed.newStatus !== null && SENSITIVE_STATUSES.includes(typed.newStatus)) {
        const held = await subs.markAwaiting(trx, submissionId, { by: moderatorId, at: iso, ...typed });
        if (!held) return { type: "already", submission: (await subs.getSubmission(trx, submissionId)) ?? submission };
        await addAudit(trx, moderatorId, "approve_first", `submission:${submissionId}`, `${typed.type}:${typed.newStatus}`, iso);
        return { type: "awaiting", submission: (await subs.getSubmission(trx, submissionId)) ?? submission };
      }
      return this.publish(trx, submission, moderatorId, typed, "pending", now);
    });
    if (result.type === "approved") this.cases.invalidate(result.submission.case_slug);
    return result;
  }

  /** The second moderator's confirmation of a sensitive approval; never by the one who approved it. */
  async confirm(submissionId: number, moderatorId: number): Promise<DecisionResult> {
    if (!(await this.roles.may(moderatorId))) return { type: "forbidden" };
    const now = this.now();
    const result = await this.db.transaction().execute(async (trx): Promise<DecisionResult> => {
      const submission = await subs.getSubmission(trx, submissionId);
      if (!submission) return { type: "not_found" };
      if (submission.status !== "awaiting_confirmation") return { type: "already", submission };
      if (submission.decided_by === moderatorId) return { type: "same_moderator", submission };
      const typed = normalise({ type: submission.update_type ?? "other", newStatus: submission.new_status, hearingDate: submission.hearing_date });
      return this.publish(trx, submission, moderatorId, typed, "awaiting_confirmation", now);
    });
    if (result.type === "approved") this.cases.invalidate(result.submission.case_slug);
    return result;
  }

  private async publish(
    trx: DB,
    submission: SubmissionRow,
    moderatorId: number,
    typed: Typed,
    from: "pending" | "awaiting_confirmation",
    now: Date,
  ): Promise<DecisionResult> {
    const iso = now.toISOString();
    const decided = await subs.markDecided(trx, submission.id, { status: "approved", by: moderatorId, at: iso, reason: null, eventId: null, from }, typed);
    if (!decided) return { type: "already", submission: (await subs.getSubmission(trx, submission.id)) ?? submission };
    let statusFrom: string | null = null;
    if (typed.newStatus !== null) {
      statusFrom = (await setCaseStatus(trx, submission.case_slug, typed.newStatus, iso, submission.source_url)) ?? null;
    }
    const changed = typed.newStatus !== null && statusFrom !== typed.newStatus;
    const lang = submission.lang === "ru" || submission.lang === "kk" ? submission.lang : "en";
    const eventId = await insertUpdateEvent(
      trx,
      {
        caseSlug: submission.case_slug,
        date: iso.slice(0, 10),
        lang,
        text: submission.text,
        sourceUrl: submission.source_url,
        type: typed.type,
        statusFrom: changed ? statusFrom : null,
        statusTo: changed ? typed.newStatus : null,
        hearingDate: typed.hearingDate,
      },
      iso,
    );
    await subs.setSubmissionEvent(trx, submission.id, eventId);
    const followers = await enqueueForFollowers(trx, eventId, submission.case_slug, { dueMs: now.getTime(), now: iso }, { kind: "update", statusChange: changed });
    const reminderAt = typed.hearingDate ? reminderTime(typed.hearingDate) : undefined;
    if (reminderAt !== undefined && reminderAt > now.getTime() - 12 * 3600_000) {
      await enqueueForFollowers(trx, eventId, submission.case_slug, { dueMs: reminderAt, now: iso }, { kind: "reminder", statusChange: false });
    }
    await addAudit(trx, moderatorId, "approve", `submission:${submission.id}`, `event:${eventId} ${typed.type}${changed ? ` status:${typed.newStatus}` : ""}`, iso);
    await bumpCasesRevision(trx, `${iso}#event:${eventId}`);
    const updated = (await subs.getSubmission(trx, submission.id)) ?? submission;
    return { type: "approved", submission: updated, eventId, followers, statusChanged: changed };
  }

  async reject(submissionId: number, moderatorId: number, reason: string | null): Promise<DecisionResult> {
    if (!(await this.roles.may(moderatorId))) return { type: "forbidden" };
    const iso = this.now().toISOString();
    const why = reason === null ? null : clip(reason.trim(), REASON_MAX) || null;
    return this.db.transaction().execute(async (trx): Promise<DecisionResult> => {
      const submission = await subs.getSubmission(trx, submissionId);
      if (!submission) return { type: "not_found" };
      const from = submission.status === "awaiting_confirmation" ? "awaiting_confirmation" : "pending";
      const decided = await subs.markDecided(trx, submissionId, { status: "rejected", by: moderatorId, at: iso, reason: why, eventId: null, from });
      if (!decided) return { type: "already", submission: (await subs.getSubmission(trx, submissionId)) ?? submission };
      await addAudit(trx, moderatorId, "reject", `submission:${submissionId}`, why, iso);
      return { type: "rejected", submission: (await subs.getSubmission(trx, submissionId)) ?? submission };
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

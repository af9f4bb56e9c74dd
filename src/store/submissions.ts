import type { DB } from "./db.js";
import type { SubmissionRow } from "./schema.js";

export interface NewSubmission {
  caseSlug: string;
  authorId: number;
  text: string;
  sourceUrl: string | null;
  lang: string;
  anonymous: boolean;
  /** When moderators may first see it (ISO). */
  shownAt: string;
}

export async function createSubmission(db: DB, s: NewSubmission, now: string): Promise<number> {
  const row = await db
    .insertInto("submissions")
    .values({
      case_slug: s.caseSlug,
      author_id: s.authorId,
      text: s.text,
      source_url: s.sourceUrl,
      lang: s.lang,
      status: "pending",
      created_at: now,
      decided_by: null,
      decided_at: null,
      reason: null,
      event_id: null,
      anonymous: s.anonymous ? 1 : 0,
      shown_at: s.shownAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function countPendingByAuthor(db: DB, authorId: number): Promise<number> {
  const row = await db
    .selectFrom("submissions")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("author_id", "=", authorId)
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getSubmission(db: DB, id: number): Promise<SubmissionRow | undefined> {
  return db.selectFrom("submissions").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A submission as moderators may see it at `now` (ISO): none before it is shown. */
export async function getShownSubmission(db: DB, id: number, now: string): Promise<SubmissionRow | undefined> {
  return db
    .selectFrom("submissions")
    .selectAll()
    .where("id", "=", id)
    .where((eb) => eb.or([eb("shown_at", "is", null), eb("shown_at", "<=", now)]))
    .executeTakeFirst();
}

/** What waits for a moderator's first decision and may be shown at `now` (ISO). */
export async function listPending(db: DB, limit: number, now: string): Promise<SubmissionRow[]> {
  return db
    .selectFrom("submissions")
    .selectAll()
    .where("status", "=", "pending")
    .where((eb) => eb.or([eb("shown_at", "is", null), eb("shown_at", "<=", now)]))
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** A first moderator's approval of a sensitive change: it waits for a second one. */
export async function markAwaiting(
  db: DB,
  id: number,
  a: { by: number; at: string; type: string; newStatus: string | null; hearingDate: string | null },
): Promise<boolean> {
  const res = await db
    .updateTable("submissions")
    .set({ status: "awaiting_confirmation", decided_by: a.by, decided_at: a.at, update_type: a.type, new_status: a.newStatus, hearing_date: a.hearingDate })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Moves a pending submission to its decision. Returns false when it was no longer pending: the
 * conditional update is what makes two simultaneous decisions publish once.
 */
export async function markDecided(
  db: DB,
  id: number,
  decision: { status: "approved" | "rejected"; by: number; at: string; reason: string | null; eventId: number | null; from: "pending" | "awaiting_confirmation" },
  typed: { type: string; newStatus: string | null; hearingDate: string | null } | null = null,
): Promise<boolean> {
  const res = await db
    .updateTable("submissions")
    .set({
      status: decision.status,
      decided_by: decision.by,
      decided_at: decision.at,
      reason: decision.reason,
      event_id: decision.eventId,
      ...(typed ? { update_type: typed.type, new_status: typed.newStatus, hearing_date: typed.hearingDate } : {}),
    })
    .where("id", "=", id)
    .where("status", "=", decision.from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function setSubmissionEvent(db: DB, id: number, eventId: number): Promise<void> {
  await db.updateTable("submissions").set({ event_id: eventId }).where("id", "=", id).execute();
}

/**
 * Erases the link between a decided submission and its author (once they have been told): an
 * anonymous author can then not be found from the database or a backup.
 */
export async function eraseAuthor(db: DB, id: number): Promise<void> {
  await db.updateTable("submissions").set({ author_id: null }).where("id", "=", id).where("status", "in", ["approved", "rejected"]).execute();
}

/** The same for every submission decided before `before` (ISO): authors a crash kept from being told. */
export async function eraseAuthorsDecidedBefore(db: DB, before: string): Promise<number> {
  const res = await db
    .updateTable("submissions")
    .set({ author_id: null })
    .where("status", "in", ["approved", "rejected"])
    .where("author_id", "is not", null)
    .where("decided_at", "<", before)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

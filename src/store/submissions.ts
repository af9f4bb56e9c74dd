import type { DB } from "./db.js";
import type { SubmissionRow } from "./schema.js";

export interface NewSubmission {
  caseSlug: string;
  authorId: number;
  text: string;
  sourceUrl: string | null;
  lang: string;
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

export async function listPending(db: DB, limit: number): Promise<SubmissionRow[]> {
  return db.selectFrom("submissions").selectAll().where("status", "=", "pending").orderBy("id").limit(limit).execute();
}

/**
 * Moves a pending submission to its decision. Returns false when it was no longer pending: the
 * conditional update is what makes two simultaneous decisions publish once.
 */
export async function markDecided(
  db: DB,
  id: number,
  decision: { status: "approved" | "rejected"; by: number; at: string; reason: string | null; eventId: number | null },
): Promise<boolean> {
  const res = await db
    .updateTable("submissions")
    .set({ status: decision.status, decided_by: decision.by, decided_at: decision.at, reason: decision.reason, event_id: decision.eventId })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function setSubmissionEvent(db: DB, id: number, eventId: number): Promise<void> {
  await db.updateTable("submissions").set({ event_id: eventId }).where("id", "=", id).execute();
}

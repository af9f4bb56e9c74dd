import { sql } from "kysely";
import type { DB, Tx } from "./db.js";
import { EVENT_DETAIL_COLUMNS, type EventContentRow } from "./events.js";
import { isPostgres } from "./dialect.js";
import type { DeliveryRow } from "./schema.js";

/**
 * One delivery row per follower of the case, in the caller's transaction. The unique key on
 * (event, user) makes a repeated call harmless. Inactive followers (who blocked the bot) are skipped.
 */
export async function enqueueForFollowers(
  db: DB,
  eventId: number,
  slug: string,
  at: { dueMs: number; now: string },
  opts: { kind: "update" | "reminder"; statusChange: boolean },
): Promise<number> {
  const res = await db
    .insertInto("deliveries")
    .columns(["event_id", "user_id", "kind", "status", "attempts", "next_attempt_at", "created_at"])
    .expression((eb) => {
      let q = eb
        .selectFrom("subscriptions")
        .innerJoin("users", "users.telegram_id", "subscriptions.user_id")
        .select([
          sql.lit(eventId).as("event_id"),
          "subscriptions.user_id",
          sql.lit(opts.kind).as("kind"),
          sql.lit("pending").as("status"),
          sql.lit(0).as("attempts"),
          sql.lit(at.dueMs).as("next_attempt_at"),
          sql.lit(at.now).as("created_at"),
        ])
        .where("subscriptions.case_slug", "=", slug)
        .where("users.active", "=", 1);
      // Followers of status changes only hear of updates that change the status.
      if (opts.kind === "reminder" || !opts.statusChange) q = q.where("subscriptions.mode", "=", "all");
      return q;
    })
    .onConflict((oc) => oc.columns(["event_id", "user_id", "kind"]).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Claims up to `limit` due deliveries for this worker by setting a lease with a fresh token. A lease
 * that expires (its worker died) makes the row claimable again: that is how a crashed fan-out
 * resumes. Every later write names the token, so a worker whose lease was taken over changes nothing.
 */
export async function claimDue(db: DB, nowMs: number, limit: number, leaseMs: number, token: string): Promise<DeliveryRow[]> {
  const pg = isPostgres(db);
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom("deliveries")
      .select("id")
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", nowMs)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", nowMs)]))
      .orderBy("next_attempt_at")
      .orderBy("id")
      .limit(limit);
    // Several workers on PostgreSQL: skip rows another worker is claiming right now instead of waiting.
    if (pg) query = query.forUpdate().skipLocked();
    const due = await query.execute();
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    return trx
      .updateTable("deliveries")
      .set({ lease_until: nowMs + leaseMs, lease_token: token })
      .where("id", "in", ids)
      .where("status", "=", "pending")
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", nowMs)]))
      .returningAll()
      .execute();
  });
}

/** The rows this lease still holds are kept until `untilMs` (a send in flight, a batch waiting its turn). */
export async function extendLeases(db: DB, ids: number[], token: string, untilMs: number): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await db
    .updateTable("deliveries")
    .set({ lease_until: untilMs })
    .where("id", "in", ids)
    .where("lease_token", "=", token)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Records a send; false (and nothing changed) when the lease is no longer this token's. */
export async function markSent(db: DB, id: number, token: string, now: string): Promise<boolean> {
  const res = await db
    .updateTable("deliveries")
    .set((eb) => ({ status: "sent", sent_at: now, lease_until: null, lease_token: null, attempts: eb("attempts", "+", 1) }))
    .where("id", "=", id)
    .where("lease_token", "=", token)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function markFinal(db: DB, id: number, token: string, status: "blocked" | "failed", error: string): Promise<boolean> {
  const res = await db
    .updateTable("deliveries")
    .set((eb) => ({ status, last_error: error.slice(0, 500), lease_until: null, lease_token: null, attempts: eb("attempts", "+", 1) }))
    .where("id", "=", id)
    .where("lease_token", "=", token)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function reschedule(db: DB, id: number, token: string, nextAttemptMs: number, error: string, countAttempt: boolean): Promise<boolean> {
  const res = await db
    .updateTable("deliveries")
    .set((eb) => ({
      next_attempt_at: nextAttemptMs,
      lease_until: null,
      lease_token: null,
      last_error: error.slice(0, 500),
      attempts: countAttempt ? eb("attempts", "+", 1) : eb.ref("attempts"),
    }))
    .where("id", "=", id)
    .where("lease_token", "=", token)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function releaseLeases(db: DB, ids: number[], token: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("deliveries")
    .set({ lease_until: null, lease_token: null })
    .where("id", "in", ids)
    .where("lease_token", "=", token)
    .where("status", "=", "pending")
    .execute();
}

export async function deliveryCounts(db: DB, eventId?: number): Promise<Record<string, number>> {
  let q = db.selectFrom("deliveries").select(["status", (eb) => eb.fn.countAll<number | string>().as("n")]).groupBy("status");
  if (eventId !== undefined) q = q.where("event_id", "=", eventId);
  const rows = await q.execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export type DeliveryContextRow = EventContentRow & {
  id: number;
  kind: string;
  user_id: number;
  attempts: number;
  language: string | null;
  event_id: number;
  case_slug: string;
};

/** What a notice needs: the follower's language, the update in every language it exists in, the case. */
export async function loadDeliveryContext(db: DB, ids: number[]): Promise<DeliveryContextRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("deliveries as d")
    // Messages to authors and staff have no event: their update fields come back empty.
    .leftJoin("case_events as e", "e.id", "d.event_id")
    .leftJoin("users as u", "u.telegram_id", "d.user_id")
    .select([
      "d.id",
      "d.kind",
      "d.user_id",
      "d.attempts",
      "u.language",
      (eb) => eb.fn.coalesce("d.event_id", sql.lit(0)).as("event_id"),
      (eb) => eb.fn.coalesce("e.event_date", sql.lit("")).as("event_date"),
      (eb) => eb.fn.coalesce("e.original_lang", sql.lit("en")).as("original_lang"),
      (eb) => eb.fn.coalesce("e.case_slug", sql.lit("")).as("case_slug"),
    ])
    .select(EVENT_DETAIL_COLUMNS.map((column) => `e.${column}` as const))
    .where("d.id", "in", ids)
    .orderBy("d.id")
    .execute();
}

export interface NewMessage {
  userId: number;
  kind: string;
  submissionId?: number | null;
  revisionId?: number | null;
  payload?: string | null;
}

/** Messages to authors and staff, in the caller's transaction: sent by the outbox like every notice. */
export async function enqueueMessages(trx: Tx, messages: readonly NewMessage[], at: { dueMs: number; now: string }): Promise<void> {
  if (messages.length === 0) return;
  await trx
    .insertInto("deliveries")
    .values(
      messages.map((m) => ({
        event_id: null,
        user_id: m.userId,
        kind: m.kind,
        status: "pending",
        attempts: 0,
        next_attempt_at: at.dueMs,
        created_at: at.now,
        submission_id: m.submissionId ?? null,
        revision_id: m.revisionId ?? null,
        payload: m.payload ?? null,
      })),
    )
    .execute();
}

/** What a message to an author or to staff is about. */
export async function messageSubject(db: DB, deliveryId: number): Promise<{ submission_id: number | null; revision_id: number | null; payload: string | null } | undefined> {
  return db.selectFrom("deliveries").select(["submission_id", "revision_id", "payload"]).where("id", "=", deliveryId).executeTakeFirst();
}

export async function deleteDelivery(db: DB, id: number): Promise<void> {
  await db.deleteFrom("deliveries").where("id", "=", id).execute();
}

/** Messages to authors still unsent after `before` (ISO): deleted with the author link they carry. */
export async function deleteAuthorMessagesBefore(db: DB, before: string): Promise<number> {
  const res = await db.deleteFrom("deliveries").where("kind", "=", "author_decision").where("created_at", "<", before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

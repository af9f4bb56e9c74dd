import { conversationKey } from "./conversations.js";
import type { DB, Tx } from "./db.js";
import { isPostgres } from "./dialect.js";

export async function getUserLanguage(db: DB, telegramId: number): Promise<string | null> {
  const row = await db.selectFrom("users").select("language").where("telegram_id", "=", telegramId).executeTakeFirst();
  return row?.language ?? null;
}

export async function setUserLanguage(db: DB, telegramId: number, language: string, now: string): Promise<void> {
  await db
    .insertInto("users")
    .values({ telegram_id: telegramId, language, created_at: now })
    .onConflict((oc) => oc.column("telegram_id").doUpdateSet({ language }))
    .execute();
}

export async function getUserRole(db: DB, telegramId: number): Promise<string | null> {
  const row = await db.selectFrom("users").select("role").where("telegram_id", "=", telegramId).executeTakeFirst();
  return row?.role ?? null;
}

/**
 * Makes sure an author has a row (a new one with their language, for the decision's message) and
 * locks it until the caller's transaction ends: on PostgreSQL, simultaneous submissions of one author
 * wait for each other here, so the cap on pending ones is counted one at a time.
 */
export async function lockAuthor(trx: Tx, telegramId: number, language: string, now: string): Promise<void> {
  // Only the day: a row created at the second of an anonymous submission would point to its author.
  await trx.insertInto("users").values({ telegram_id: telegramId, language, created_at: now.slice(0, 10) }).onConflict((oc) => oc.column("telegram_id").doNothing()).execute();
  if (isPostgres(trx)) await trx.selectFrom("users").select("telegram_id").where("telegram_id", "=", telegramId).forUpdate().execute();
}

/** Makes sure each configured admin has the admin role; never demotes anyone. */
export async function ensureAdmins(db: DB, ids: readonly number[], now: string): Promise<void> {
  for (const id of ids) await setUserRole(db, id, "admin", now);
}

export async function setUserRole(db: DB, telegramId: number, role: string, now: string): Promise<void> {
  await db
    .insertInto("users")
    .values({ telegram_id: telegramId, role, created_at: now })
    .onConflict((oc) => oc.column("telegram_id").doUpdateSet({ role }))
    .execute();
}

export async function listAdmins(db: DB): Promise<number[]> {
  const rows = await db.selectFrom("users").select("telegram_id").where("role", "=", "admin").orderBy("telegram_id").execute();
  return rows.map((r) => r.telegram_id);
}

/** Staff (moderators and admins), who are told of new submissions. */
export async function listStaff(db: DB): Promise<Array<{ telegram_id: number; language: string | null }>> {
  return db
    .selectFrom("users")
    .select(["telegram_id", "language"])
    .where("role", "in", ["moderator", "admin"])
    .orderBy("telegram_id")
    .execute();
}

export async function setUserActive(db: DB, telegramId: number, active: boolean): Promise<void> {
  await db.updateTable("users").set({ active: active ? 1 : 0 }).where("telegram_id", "=", telegramId).execute();
}

/**
 * Deletes everything kept about a person: subscriptions, deliveries to them, their submissions that
 * are not published (pending, waiting for a second moderator, rejected) with the pending revisions
 * that would publish them, their drafts in any chat, and the user row (staff keep their role row).
 * Published updates stay; the link to their author is erased.
 */
export async function forgetUser(db: DB, telegramId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("subscriptions").where("user_id", "=", telegramId).execute();
    await trx.deleteFrom("deliveries").where("user_id", "=", telegramId).execute();
    const unpublished = await trx
      .selectFrom("submissions")
      .select("id")
      .where("author_id", "=", telegramId)
      .where("status", "in", ["pending", "awaiting_confirmation", "rejected"])
      .execute();
    const ids = unpublished.map((r) => r.id);
    if (ids.length > 0) {
      // A second moderator's Confirm must find nothing to publish.
      await trx.deleteFrom("case_revisions").where("submission_id", "in", ids).where("state", "=", "pending").execute();
      await trx.deleteFrom("deliveries").where("submission_id", "in", ids).execute();
      await trx.deleteFrom("submissions").where("id", "in", ids).execute();
    }
    await trx.updateTable("submissions").set({ author_id: null }).where("author_id", "=", telegramId).execute();
    await trx.deleteFrom("conversation_state").where("key", "=", conversationKey(telegramId)).execute();
    // Drafts in other chats (a group): kept under conv:<chat>:<user>, and the stored updates carry the sender's id.
    await trx.deleteFrom("conversation_state").where("key", "like", `conv:%:${Math.trunc(telegramId)}`).execute();
    await trx.deleteFrom("conversation_state").where("value", "like", `%"from":{"id":${Math.trunc(telegramId)},%`).execute();
    await trx.deleteFrom("users").where("telegram_id", "=", telegramId).where("role", "=", "reader").execute();
  });
}

/** A follower who blocked the bot and writes to it again can be told of news again. */
export async function reactivateUser(db: DB, telegramId: number): Promise<void> {
  await db.updateTable("users").set({ active: 1 }).where("telegram_id", "=", telegramId).where("active", "=", 0).execute();
}

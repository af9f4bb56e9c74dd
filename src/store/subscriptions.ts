import type { DB } from "./db.js";

/** Follows a case; the user row is created with the reader's language so notices arrive in it. Idempotent. */
export async function subscribe(db: DB, userId: number, slug: string, lang: string, now: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("users")
      .values({ telegram_id: userId, language: lang, created_at: now })
      .onConflict((oc) => oc.column("telegram_id").doUpdateSet({ active: 1 }))
      .execute();
    await trx
      .insertInto("subscriptions")
      .values({ user_id: userId, case_slug: slug, created_at: now })
      .onConflict((oc) => oc.columns(["user_id", "case_slug"]).doNothing())
      .execute();
  });
}

export async function unsubscribe(db: DB, userId: number, slug: string): Promise<boolean> {
  const res = await db.deleteFrom("subscriptions").where("user_id", "=", userId).where("case_slug", "=", slug).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function isSubscribed(db: DB, userId: number, slug: string): Promise<boolean> {
  const row = await db
    .selectFrom("subscriptions")
    .select("case_slug")
    .where("user_id", "=", userId)
    .where("case_slug", "=", slug)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listSubscriptions(db: DB, userId: number): Promise<Array<{ slug: string; mode: string }>> {
  const rows = await db
    .selectFrom("subscriptions")
    .select(["case_slug", "mode"])
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .orderBy("case_slug")
    .execute();
  return rows.map((r) => ({ slug: r.case_slug, mode: r.mode }));
}

export async function setSubscriptionMode(db: DB, userId: number, slug: string, mode: "all" | "status"): Promise<boolean> {
  const res = await db
    .updateTable("subscriptions")
    .set({ mode })
    .where("user_id", "=", userId)
    .where("case_slug", "=", slug)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

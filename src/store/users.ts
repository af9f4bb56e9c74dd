import type { DB } from "./db.js";

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

/** Makes sure each configured admin has the admin role; never demotes anyone. */
export async function ensureAdmins(db: DB, ids: readonly number[], now: string): Promise<void> {
  for (const id of ids) {
    await db
      .insertInto("users")
      .values({ telegram_id: id, role: "admin", created_at: now })
      .onConflict((oc) => oc.column("telegram_id").doUpdateSet({ role: "admin" }))
      .execute();
  }
}

import type { DB } from "./db.js";

export async function getMeta(db: DB, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

export async function setMeta(db: DB, key: string, value: string): Promise<void> {
  await db
    .insertInto("meta")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

export const CASES_REVISION = "cases_revision";

/** Marks that case data changed, so that other processes refresh their in-memory index and cards. */
export async function bumpCasesRevision(db: DB, stamp: string): Promise<void> {
  await setMeta(db, CASES_REVISION, stamp);
}

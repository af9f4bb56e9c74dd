import type { Kysely } from "kysely";

/**
 * Honest cards. The spelling of a name is confirmed per script (names-reference.tsv confirms some
 * Russian spellings and not the Kazakh ones), and a moderator can confirm that a status is still true
 * without changing it: when and on which source that was last done.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("cases").addColumn("name_ru_confirmed", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("cases").addColumn("name_kk_confirmed", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("cases").addColumn("status_reviewed_at", "text").execute();
  await db.schema.alterTable("cases").addColumn("status_review_source", "text").execute();
  // What was confirmed for the whole name stays confirmed for both scripts until the seed says more.
  await db.updateTable("cases").set({ name_ru_confirmed: 1, name_kk_confirmed: 1 }).where("name_confirmed", "=", 1).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ["status_review_source", "status_reviewed_at", "name_kk_confirmed", "name_ru_confirmed"]) {
    await db.schema.alterTable("cases").dropColumn(column).execute();
  }
}

import { type Kysely, sql } from "kysely";

/**
 * When moderators may first see a submission: at once for a named one, after a random delay for an
 * anonymous one (so neither its notice nor /queue tells a moderator when the author was active).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("submissions").addColumn("shown_at", "text").execute();
  await db.updateTable("submissions").set({ shown_at: sql`created_at` }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("submissions").dropColumn("shown_at").execute();
}

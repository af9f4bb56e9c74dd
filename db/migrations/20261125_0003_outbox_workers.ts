import type { Kysely } from "kysely";

/** Live notification workers, so that they can share Telegram's global rate between them. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("outbox_workers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seen_at", "bigint", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("outbox_workers").ifExists().execute();
}

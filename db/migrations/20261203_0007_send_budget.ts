import type { Kysely } from "kysely";

/**
 * One send budget for the whole bot: every process (bot or worker) says here, a few times a second,
 * how much interactive traffic it has and whether it sends notices; each derives its share of
 * Telegram's 30 messages a second from the rows alive. Delivery leases carry a token so that a
 * worker whose lease was taken over cannot record the outcome of a row it no longer holds.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("send_budget")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seen_at", "bigint", (c) => c.notNull())
    .addColumn("interactive", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("serves", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("notices", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("busy", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("deliveries").addColumn("lease_token", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("deliveries").dropColumn("lease_token").execute();
  await db.schema.dropTable("send_budget").ifExists().execute();
}

import { type Kysely, PostgresAdapter } from "kysely";

/**
 * Typed updates (with the status they set), follow modes, anonymous submissions, second-moderator
 * confirmation, and case revisions (who changed what, when, from what, on which source).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema.alterTable("case_events").addColumn("update_type", "text").execute();
  await db.schema.alterTable("case_events").addColumn("status_from", "text").execute();
  await db.schema.alterTable("case_events").addColumn("status_to", "text").execute();
  await db.schema.alterTable("case_events").addColumn("hearing_date", "text").execute();

  await db.schema.alterTable("subscriptions").addColumn("mode", "text", (c) => c.notNull().defaultTo("all")).execute();

  await db.schema.alterTable("submissions").addColumn("anonymous", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("submissions").addColumn("update_type", "text").execute();
  await db.schema.alterTable("submissions").addColumn("new_status", "text").execute();
  await db.schema.alterTable("submissions").addColumn("hearing_date", "text").execute();

  await db.schema.alterTable("cases").addColumn("status_source", "text").execute();
  await db.schema.alterTable("cases").addColumn("visible", "integer", (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable("cases").addColumn("added_source", "text").execute();

  await db.schema
    .createTable("case_revisions")
    .addColumn("id", pg ? "serial" : "integer", (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("case_slug", "text", (c) => c.notNull().references("cases.slug").onDelete("cascade"))
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("old_value", "text")
    .addColumn("new_value", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("actor_id", "bigint", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("confirmed_by", "bigint")
    .addColumn("reverts", "integer")
    .execute();
  await db.schema.createIndex("case_revisions_case_idx").on("case_revisions").columns(["case_slug", "id"]).execute();
  await db.schema.createIndex("case_revisions_state_idx").on("case_revisions").column("state").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("case_revisions").ifExists().execute();
  for (const [table, column] of [
    ["cases", "added_source"], ["cases", "visible"], ["cases", "status_source"],
    ["submissions", "hearing_date"], ["submissions", "new_status"], ["submissions", "update_type"], ["submissions", "anonymous"],
    ["subscriptions", "mode"],
    ["case_events", "hearing_date"], ["case_events", "status_to"], ["case_events", "status_from"], ["case_events", "update_type"],
  ] as const) {
    await db.schema.alterTable(table).dropColumn(column).execute();
  }
}

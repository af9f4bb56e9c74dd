import { type Kysely, PostgresAdapter } from "kysely";

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Subscriptions, submissions with their moderation, the audit trail, the delivery outbox and conversation state. */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (name: string) => (pg ? ([name, "serial"] as const) : ([name, "integer"] as const));

  await db.schema.alterTable("users").addColumn("active", "integer", (c) => c.notNull().defaultTo(1)).execute();

  await db.schema
    .createTable("subscriptions")
    .addColumn("user_id", "bigint", (c) => c.notNull().references("users.telegram_id").onDelete("cascade"))
    .addColumn("case_slug", "text", (c) => c.notNull().references("cases.slug").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("subscriptions_pk", ["user_id", "case_slug"])
    .execute();
  await db.schema.createIndex("subscriptions_case_idx").on("subscriptions").column("case_slug").execute();

  const [sid, stype] = id("id");
  await db.schema
    .createTable("submissions")
    .addColumn(sid, stype, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("case_slug", "text", (c) => c.notNull().references("cases.slug").onDelete("cascade"))
    .addColumn("author_id", "bigint")
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("source_url", "text")
    .addColumn("lang", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("decided_by", "bigint")
    .addColumn("decided_at", "text")
    .addColumn("reason", "text")
    .addColumn("event_id", "integer")
    .execute();
  await db.schema.createIndex("submissions_status_idx").on("submissions").columns(["status", "created_at"]).execute();
  await db.schema.createIndex("submissions_author_idx").on("submissions").columns(["author_id", "status"]).execute();

  const [aid, atype] = id("id");
  await db.schema
    .createTable("audit_log")
    .addColumn(aid, atype, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("actor_id", "bigint", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("detail", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  const [did, dtype] = id("id");
  await db.schema
    .createTable("deliveries")
    .addColumn(did, dtype, (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("event_id", "integer", (c) => c.notNull().references("case_events.id").onDelete("cascade"))
    .addColumn("user_id", "bigint", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("update"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    .addColumn("lease_until", "bigint")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .addUniqueConstraint("deliveries_event_user_uq", ["event_id", "user_id", "kind"])
    .execute();
  await db.schema.createIndex("deliveries_due_idx").on("deliveries").columns(["status", "next_attempt_at"]).execute();

  await db.schema
    .createTable("conversation_state")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["conversation_state", "deliveries", "audit_log", "submissions", "subscriptions"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable("users").dropColumn("active").execute();
}

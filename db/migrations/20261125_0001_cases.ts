import { type Kysely, PostgresAdapter } from "kysely";

/** Integer identity that works on SQLite and PostgreSQL alike. */
function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);

  await db.schema
    .createTable("sources")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("as_of", "text", (c) => c.notNull())
    .addColumn("title_en", "text", (c) => c.notNull())
    .addColumn("title_ru", "text")
    .addColumn("title_kk", "text")
    .addColumn("url", "text")
    .execute();

  await db.schema
    .createTable("cases")
    .addColumn("slug", "text", (c) => c.primaryKey())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("origin", "text", (c) => c.notNull().defaultTo("report"))
    .addColumn("source_id", "text", (c) => c.references("sources.id"))
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("name_ru", "text")
    .addColumn("name_kk", "text")
    .addColumn("name_kk_latn", "text")
    .addColumn("name_confirmed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("summary_en", "text")
    .addColumn("summary_ru", "text")
    .addColumn("summary_kk", "text")
    .addColumn("status_changed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("cases_category_idx").on("cases").column("category").execute();

  await db.schema
    .createTable("case_aliases")
    .addColumn("case_slug", "text", (c) => c.notNull().references("cases.slug").onDelete("cascade"))
    .addColumn("alias", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("case_aliases_pk", ["case_slug", "alias"])
    .execute();

  await db.schema
    .createTable("case_events")
    .addColumn("id", pg ? "serial" : "integer", (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("case_slug", "text", (c) => c.notNull().references("cases.slug").onDelete("cascade"))
    .addColumn("event_date", "text", (c) => c.notNull())
    .addColumn("origin", "text", (c) => c.notNull())
    .addColumn("seed_key", "text", (c) => c.unique())
    .addColumn("original_lang", "text", (c) => c.notNull())
    .addColumn("text_en", "text")
    .addColumn("text_ru", "text")
    .addColumn("text_kk", "text")
    .addColumn("source_url", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("case_events_case_idx").on("case_events").columns(["case_slug", "event_date"]).execute();

  await db.schema
    .createTable("users")
    .addColumn("telegram_id", "bigint", (c) => c.primaryKey())
    .addColumn("language", "text")
    .addColumn("role", "text", (c) => c.notNull().defaultTo("reader"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("meta")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["meta", "users", "case_events", "case_aliases", "cases", "sources"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

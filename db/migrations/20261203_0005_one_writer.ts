import { type Kysely, PostgresAdapter, sql } from "kysely";

/**
 * One writer per fact, one outbox for every message.
 *
 * - A revision may belong to a submission (`submission_id`): an approval that changes a status is a
 *   revision like any other, and one waiting for a second moderator is a pending revision. Status
 *   changes made by approvals before this migration become applied revisions; approvals waiting for a
 *   second moderator become pending ones.
 * - Deliveries carry messages to authors and staff too: `event_id` may be null, and `submission_id`,
 *   `revision_id` and `payload` say what the message is about.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema.alterTable("case_revisions").addColumn("submission_id", "integer").execute();
  await sql`
    INSERT INTO case_revisions (case_slug, field, old_value, new_value, source, actor_id, created_at, state, submission_id)
    SELECT e.case_slug, 'status', e.status_from, e.status_to, COALESCE(e.source_url, 'submission #' || s.id), COALESCE(s.decided_by, 0), e.created_at, 'applied', s.id
    FROM case_events e JOIN submissions s ON s.event_id = e.id
    WHERE e.status_to IS NOT NULL
    ORDER BY e.id`.execute(db);
  await sql`
    INSERT INTO case_revisions (case_slug, field, old_value, new_value, source, actor_id, created_at, state, submission_id)
    SELECT s.case_slug, 'status', c.status, s.new_status, COALESCE(s.source_url, 'submission #' || s.id), COALESCE(s.decided_by, 0), COALESCE(s.decided_at, s.created_at), 'pending', s.id
    FROM submissions s JOIN cases c ON c.slug = s.case_slug
    WHERE s.status = 'awaiting_confirmation' AND s.new_status IS NOT NULL
    ORDER BY s.id`.execute(db);
  await db.schema.createIndex("case_revisions_submission_idx").on("case_revisions").column("submission_id").execute();

  if (pg) {
    await sql`ALTER TABLE deliveries ALTER COLUMN event_id DROP NOT NULL`.execute(db);
  } else {
    await relaxSqliteEventId(db);
  }
  await db.schema.alterTable("deliveries").addColumn("submission_id", "integer").execute();
  await db.schema.alterTable("deliveries").addColumn("revision_id", "integer").execute();
  await db.schema.alterTable("deliveries").addColumn("payload", "text").execute();
}

/**
 * SQLite cannot drop a NOT NULL: the table is rebuilt from its own definition with only that changed,
 * so columns other migrations added are kept, and its indexes are created again.
 */
async function relaxSqliteEventId(db: Kysely<any>): Promise<void> {
  const table = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'deliveries'`.execute(db);
  const indexes = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries' AND sql IS NOT NULL`.execute(db);
  const create = table.rows[0]?.sql;
  if (create === undefined) throw new Error("no deliveries table");
  const relaxed = create.replace(/("event_id"\s+integer)\s+not null/i, "$1").replace(/^create table\s+"?deliveries"?/i, 'create table "deliveries_new"');
  if (relaxed === create || !/"deliveries_new"/.test(relaxed)) throw new Error("unexpected deliveries definition");
  await sql.raw(relaxed).execute(db);
  await sql`INSERT INTO deliveries_new SELECT * FROM deliveries`.execute(db);
  await sql`DROP TABLE deliveries`.execute(db);
  await sql`ALTER TABLE deliveries_new RENAME TO deliveries`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("deliveries").where("event_id", "is", null).execute();
  for (const column of ["payload", "revision_id", "submission_id"]) await db.schema.alterTable("deliveries").dropColumn(column).execute();
  await db.schema.dropIndex("case_revisions_submission_idx").execute();
  await db.schema.alterTable("case_revisions").dropColumn("submission_id").execute();
}

import type { DB } from "./db.js";
import type { AuditRow } from "./schema.js";

export async function addAudit(db: DB, actorId: number, action: string, target: string, detail: string | null, now: string): Promise<void> {
  await db.insertInto("audit_log").values({ actor_id: actorId, action, target, detail, created_at: now }).execute();
}

export async function listAudit(db: DB, limit: number): Promise<AuditRow[]> {
  return db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(limit).execute();
}

import type { DB } from "../store/db.js";
import { pingDatabase } from "../store/health.js";

export interface HealthReport {
  ok: boolean;
  checks: Record<string, boolean>;
}

/** How long /healthz waits for the database before it says 503. */
export const HEALTH_DB_TIMEOUT_MS = 2000;

/**
 * The process is healthy when its database answers within ~2 s and, where this process runs the
 * notification worker, that worker is still running (a worker that stopped leaves notices undelivered
 * while everything else looks fine).
 */
export function healthCheck(db: DB, worker?: { isRunning(): boolean }): () => Promise<HealthReport> {
  return async () => {
    const checks: Record<string, boolean> = { database: await pingDatabase(db, HEALTH_DB_TIMEOUT_MS) };
    if (worker) checks["worker"] = worker.isRunning();
    return { ok: Object.values(checks).every(Boolean), checks };
  };
}

import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { CaseService } from "../../src/services/cases.js";
import { FeedService } from "../../src/services/feeds.js";
import { OpenDataService } from "../../src/services/open-data.js";
import { StatsService } from "../../src/services/stats.js";
import { SubscriptionService } from "../../src/services/subscriptions.js";
import { UserService } from "../../src/services/users.js";
import { type DB, openSqlite } from "../../src/store/db.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { createWebApp } from "../../src/web/app.js";
import { healthCheck } from "../../src/services/health.js";

/** A database whose pool never hands out a connection (PostgreSQL during an outage), or refuses at once. */
function brokenDatabase(mode: "hang" | "refuse"): DB {
  return new Kysely({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => ({
        init: async () => undefined,
        acquireConnection: () => (mode === "hang" ? new Promise(() => undefined) : Promise.reject(new Error("connection refused"))),
        beginTransaction: async () => undefined,
        commitTransaction: async () => undefined,
        rollbackTransaction: async () => undefined,
        releaseConnection: async () => undefined,
        destroy: async () => undefined,
      }),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }) as DB;
}

const open: DB[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.destroy().catch(() => undefined);
});

async function webFor(health: () => Promise<{ ok: boolean; checks: Record<string, boolean> }>) {
  const db = openSqlite(":memory:");
  open.push(db);
  await migrateToLatest(db);
  const cases = new CaseService(db);
  await cases.refresh();
  return createWebApp({
    services: {
      cases,
      subscriptions: new SubscriptionService(db, cases),
      users: new UserService(db),
      stats: new StatsService(db),
      feeds: new FeedService(db),
      openData: new OpenDataService(db),
    },
    i18n: await createI18n(),
    logger: createLogger("silent"),
    publicUrl: "http://localhost:8080",
    botToken: "123456:web-test",
    health,
  });
}

describe("GET /healthz", () => {
  it("is 200 while the database answers and the worker runs, and is never cached", async () => {
    const db = openSqlite(":memory:");
    open.push(db);
    const web = await webFor(healthCheck(db, { isRunning: () => true }));
    const res = await web.request("/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ ok: true, checks: { database: true, worker: true } });
  });

  it("is 503 when the in-process worker has stopped", async () => {
    const db = openSqlite(":memory:");
    open.push(db);
    const res = await (await webFor(healthCheck(db, { isRunning: () => false }))).request("/healthz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, checks: { worker: false } });
  });

  it("is 503 when the database refuses", async () => {
    const res = await (await webFor(healthCheck(brokenDatabase("refuse")))).request("/healthz");
    expect(res.status).toBe(503);
  });

  it("is 503 within about two seconds when the database hangs", async () => {
    const t0 = Date.now();
    const res = await (await webFor(healthCheck(brokenDatabase("hang")))).request("/healthz");
    expect(res.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(6000);
  });
});

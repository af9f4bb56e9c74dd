import type { Hono } from "hono";
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
import { applySeed } from "../../src/store/seed.js";
import { createWebApp } from "../../src/web/app.js";
import type { WebDeps, WebEnv } from "../../src/web/deps.js";

export const WEB_TOKEN = "123456:web-test-token";
export const PUBLIC_URL = "https://cases.example.org";

export interface TestWeb {
  app: Hono<WebEnv>;
  db: DB;
  deps: WebDeps;
  logs: string[];
  close(): Promise<void>;
}

/** The web app over a seeded in-memory SQLite, as `npm start` builds it (no bot, no worker). */
export async function testWeb(overrides: Partial<WebDeps> = {}): Promise<TestWeb> {
  const db = openSqlite(":memory:");
  await migrateToLatest(db);
  await applySeed(db);
  const cases = new CaseService(db);
  await cases.refresh();
  const logs: string[] = [];
  const deps: WebDeps = {
    services: {
      cases,
      subscriptions: new SubscriptionService(db, cases),
      users: new UserService(db),
      stats: new StatsService(db),
      feeds: new FeedService(db),
      openData: new OpenDataService(db),
    },
    i18n: await createI18n(),
    logger: createLogger("debug", {}, (line) => logs.push(line)),
    publicUrl: PUBLIC_URL,
    botToken: WEB_TOKEN,
    botUsername: "kz_cases_bot",
    health: async () => ({ ok: true, checks: {} }),
    ...overrides,
  };
  return { app: createWebApp(deps), db, deps, logs, close: () => db.destroy() };
}

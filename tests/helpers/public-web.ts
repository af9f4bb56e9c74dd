import type { Hono } from "hono";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { CaseService } from "../../src/services/cases.js";
import { FeedService } from "../../src/services/feeds.js";
import { OpenDataService } from "../../src/services/open-data.js";
import { StatsService } from "../../src/services/stats.js";
import { SubscriptionService } from "../../src/services/subscriptions.js";
import { UserService } from "../../src/services/users.js";
import type { DB } from "../../src/store/db.js";
import { createWebApp } from "../../src/web/app.js";

export const PUBLIC_URL = "https://cases.example.org";

/** The whole web app over a database, as `npm run web` builds it, answering `app.request()` in process. */
export async function webOver(db: DB): Promise<Hono<any>> {
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
    publicUrl: PUBLIC_URL,
    botToken: "123456:web-test",
    health: async () => ({ ok: true, checks: {} }),
  });
}

import { Api } from "grammy";
import { createI18n } from "./i18n.js";
import { createLogger } from "./logger.js";
import { installProcessHandlers, loadConfigOrExit, onShutdown } from "./runtime.js";
import { CaseService } from "./services/cases.js";
import { FeedService } from "./services/feeds.js";
import { OpenDataService } from "./services/open-data.js";
import { StatsService } from "./services/stats.js";
import { SubscriptionService } from "./services/subscriptions.js";
import { UserService } from "./services/users.js";
import { openDatabase } from "./store/db.js";
import { migrateToLatest } from "./store/migrate.js";
import { createWebApp } from "./web/app.js";
import { healthCheck } from "./web/health.js";
import { startWebServer } from "./web/server.js";

/**
 * `npm run web`: the web alone (pages, API, Mini App, /healthz), for a process of its own beside
 * PostgreSQL. It takes no updates and runs no worker; the bot's process seeds the data, and case
 * changes made elsewhere show here within seconds through the same revision watch as the bot's.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, { service: "casebot-web" });
  installProcessHandlers(logger);
  const db = await openDatabase(config.database, { onPoolError: (err) => logger.warn("database connection lost", { err }) });
  await migrateToLatest(db);
  const cases = new CaseService(db);
  await cases.refresh();
  cases.watch(3000, (err) => logger.warn("case refresh failed", { err }));
  const i18n = await createI18n();
  // The bot's username for "Follow in Telegram" links; the web still serves without it.
  const me = await new Api(config.botToken, { apiRoot: config.apiRoot })
    .getMe(AbortSignal.timeout(5000) as never)
    .catch((err: unknown) => logger.warn("getMe failed: pages will have no Telegram links", { err }));
  const web = createWebApp({
    services: {
      cases,
      subscriptions: new SubscriptionService(db, cases),
      users: new UserService(db),
      stats: new StatsService(db),
      feeds: new FeedService(db),
      openData: new OpenDataService(db),
    },
    i18n,
    logger,
    publicUrl: config.publicUrl,
    botToken: config.botToken,
    ...(me ? { botUsername: me.username } : {}),
    health: healthCheck(db),
  });
  const server = await startWebServer(web, config.port);
  logger.info("web", { port: server.port, public_url: config.publicUrl });

  onShutdown(logger, async () => {
    try {
      await server.close();
    } finally {
      cases.unwatch();
      await db.destroy();
    }
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Web start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

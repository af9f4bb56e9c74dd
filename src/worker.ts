import { Api } from "grammy";
import { createNoticeSender } from "./bot/notice-sender.js";
import { installProcessHandlers, loadConfigOrExit, onShutdown } from "./runtime.js";
import { createI18n } from "./i18n.js";
import { createLogger } from "./logger.js";
import { CaseService } from "./services/cases.js";
import { OutboxWorker } from "./services/notifications/worker.js";
import { openDatabase } from "./store/db.js";
import { migrateToLatest } from "./store/migrate.js";

/**
 * `npm run worker`: only the notification outbox, for deployments that run it apart from the bot.
 * Several may run against one PostgreSQL database: rows are claimed with leases and the global
 * rate is shared between the workers alive.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, { service: "casebot-worker" });
  installProcessHandlers(logger);
  const db = await openDatabase(config.database, { onPoolError: (err) => logger.warn("database connection lost", { err }) });
  await migrateToLatest(db);
  const cases = new CaseService(db);
  await cases.refresh();
  cases.watch(3000, (err) => logger.warn("case refresh failed", { err }));
  const i18n = await createI18n();
  const api = new Api(config.botToken, { apiRoot: config.apiRoot });
  const worker = new OutboxWorker(db, createNoticeSender(api, i18n, cases), logger);
  worker.start();
  logger.info("worker started");

  onShutdown(logger, async () => {
    cases.unwatch();
    await worker.stop();
    await db.destroy();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Worker start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

import { createNoticeSender, noticeApi } from "./bot/notice-sender.js";
import { SendBudget } from "./services/notifications/budget.js";
import { BudgetShare } from "./services/notifications/budget-share.js";
import { MessageService } from "./services/messages.js";
import { installProcessHandlers, loadConfigOrExit, onShutdown } from "./runtime.js";
import { createI18n } from "./i18n.js";
import { createLogger } from "./logger.js";
import { CaseService } from "./services/cases.js";
import { OutboxWorker } from "./services/notifications/worker.js";
import { openDatabase } from "./store/db.js";
import { migrateToLatest } from "./store/migrate.js";

/**
 * `npm run worker`: only the notification outbox, for deployments that run it apart from the bot.
 * Several may run against one PostgreSQL database: rows are claimed with leases, and Telegram's
 * 30 messages a second are shared with the bot processes through the send budget.
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
  const api = noticeApi(config.botToken, { apiRoot: config.apiRoot });
  const budget = new SendBudget({ perChatGapMs: config.chatGapMs });
  const share = new BudgetShare(db, budget, { serves: false }, logger.child({ component: "send-budget" }));
  await share.start();
  const worker = new OutboxWorker(db, createNoticeSender(api, i18n, cases, new MessageService(db)), logger, {}, { budget, share });
  worker.start();
  logger.info("worker started");

  onShutdown(logger, async () => {
    cases.unwatch();
    await worker.stop();
    await share.stop();
    await db.destroy();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Worker start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

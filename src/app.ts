import type { Bot } from "grammy";
import { createBot, type BotOptions } from "./bot/index.js";
import type { BotContext, Services } from "./bot/context.js";
import type { Config } from "./config/config.js";
import { createI18n, type Translate } from "./i18n.js";
import type { Lang } from "./domain/codes.js";
import type { Logger } from "./logger.js";
import { CaseService } from "./services/cases.js";
import { UserService } from "./services/users.js";
import { type DB, openDatabase } from "./store/db.js";
import { migrateToLatest } from "./store/migrate.js";
import { applySeed } from "./store/seed.js";
import { setCommands, setStaffMenu } from "./bot/commands.js";
import { setMiniAppMenu } from "./bot/mini-app.js";
import { startPrivacySweep } from "./services/privacy-sweep.js";
import { createNoticeSender, noticeApi } from "./bot/notice-sender.js";
import { SendBudget } from "./services/notifications/budget.js";
import { BudgetShare } from "./services/notifications/budget-share.js";
import { MessageService } from "./services/messages.js";
import { ModerationService } from "./services/moderation.js";
import { CaseAdminService } from "./services/case-admin.js";
import { OutboxWorker, type WorkerOptions } from "./services/notifications/worker.js";
import { FeedService } from "./services/feeds.js";
import { OpenDataService } from "./services/open-data.js";
import { StatsService } from "./services/stats.js";
import { SubscriptionService } from "./services/subscriptions.js";
import { RoleService } from "./services/roles.js";

export interface App {
  bot: Bot<BotContext>;
  db: DB;
  services: Services;
  i18n: { t(lang: Lang): Translate };
  /** The notification outbox worker; started by the runtime (main, npm run try), not by createApp. */
  worker: OutboxWorker;
  /** The send budget every message of this process draws from, and its share across processes. */
  budget: SendBudget;
  budgetShare: BudgetShare;
  close(): Promise<void>;
}

/**
 * Everything but the update source: database with migrations and seed applied, services with their
 * in-memory index, and the bot with its identity fetched. Polling, webhook, `npm run try` and the
 * tests all start from here.
 */
export async function createApp(
  config: Pick<Config, "botToken" | "apiRoot" | "database" | "adminIds"> & Partial<Pick<Config, "publicUrl" | "chatGapMs">>,
  logger: Logger,
  botOptions: BotOptions = {},
  workerOptions: Partial<WorkerOptions> = {},
): Promise<App> {
  const db = await openDatabase(config.database, { onPoolError: (err) => logger.warn("database connection lost", { err }) });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info("migrations applied", { migrations: applied });
    const seed = await applySeed(db);
    // What the seed changed, and what it left as moderators set it (see applySeed).
    logger.info(seed.applied ? "seed data loaded" : "seed data unchanged", {
      cases: seed.cases,
      ...(seed.applied ? { added: seed.added.length, changed: seed.changed, left_as_moderators_set_them: seed.kept } : {}),
    });

    const cases = new CaseService(db);
    await cases.refresh();
    cases.watch(3000, (err) => logger.warn("case refresh failed", { err }));
    const privacy = startPrivacySweep(db, logger);
    const i18n = await createI18n();
    const budget = botOptions.budget ?? new SendBudget(config.chatGapMs === undefined ? {} : { perChatGapMs: config.chatGapMs });
    const budgetShare = new BudgetShare(db, budget, { serves: true }, logger.child({ component: "send-budget" }));
    await budgetShare.start();
    const worker = new OutboxWorker(
      db,
      createNoticeSender(noticeApi(config.botToken, { apiRoot: botOptions.apiRoot ?? config.apiRoot, fetch: botOptions.fetch }), i18n, cases, new MessageService(db)),
      logger.child({ component: "outbox" }),
      workerOptions,
      { budget, share: budgetShare },
    );
    const subscriptions = new SubscriptionService(db, cases);
    const services: Services = {
      cases,
      users: new UserService(db, { alsoRemembering: [subscriptions] }),
      subscriptions,
      moderation: new ModerationService(db, cases),
      caseAdmin: new CaseAdminService(db, cases),
      stats: new StatsService(db),
      feeds: new FeedService(db),
      openData: new OpenDataService(db),
      roles: new RoleService(db),
      outbox: { wake: () => worker.wake() },
    };
    const { demoted } = await services.roles.syncAdmins(config.adminIds);
    if (demoted.length > 0) logger.info("admins no longer in ADMIN_IDS are moderators now", { users: demoted });

    const bot = createBot(config.botToken, { db, logger, services, i18n, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) }, { apiRoot: config.apiRoot, budget, ...botOptions });
    await bot.init();
    await setCommands(bot, i18n).catch((err: unknown) => logger.warn("setMyCommands failed", { err }));
    await setMiniAppMenu(bot.api, config.publicUrl, i18n.t("en")("web.miniapp.menu")).catch((err: unknown) => logger.warn("setChatMenuButton failed", { err }));
    for (const member of await services.roles.staff()) {
      await setStaffMenu(bot.api, i18n, member.telegram_id, member.language, true).catch(() => undefined);
    }
    return {
      bot,
      db,
      services,
      i18n,
      worker,
      budget,
      budgetShare,
      close: async () => {
        cases.unwatch();
        clearInterval(privacy);
        await worker.stop();
        await budgetShare.stop();
        await db.destroy();
      },
    };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

import type { Services } from "./bot/context.js";
import { createNoticeSender, noticeApi } from "./bot/notice-sender.js";
import type { Config } from "./config/config.js";
import type { Lang } from "./domain/codes.js";
import { createI18n, type Translate } from "./i18n.js";
import { createLogger, type Logger } from "./logger.js";
import { installProcessHandlers, loadConfigOrExit } from "./runtime.js";
import { CaseAdminService } from "./services/case-admin.js";
import { CaseService } from "./services/cases.js";
import { FeedService } from "./services/feeds.js";
import { MessageService } from "./services/messages.js";
import { ModerationService } from "./services/moderation.js";
import { SendBudget } from "./services/notifications/budget.js";
import { BudgetShare } from "./services/notifications/budget-share.js";
import { OutboxWorker, type WorkerOptions } from "./services/notifications/worker.js";
import { OpenDataService } from "./services/open-data.js";
import { RoleService } from "./services/roles.js";
import { StatsService } from "./services/stats.js";
import { SubscriptionService } from "./services/subscriptions.js";
import { UserService } from "./services/users.js";
import { type DB, openDatabase } from "./store/db.js";
import { migrateToLatest } from "./store/migrate.js";
import { applySeed } from "./store/seed.js";
import type { WebServices } from "./web/deps.js";

/**
 * The start-up every process shares, in the order it runs: the process (configuration, logger,
 * last-resort handlers), the core (database at the latest schema, the seed in the bot's process, the
 * case index kept fresh, translations), the services over it, and the outbox (worker and send
 * budget). `npm start` (app.ts, main.ts), `npm run worker` and `npm run web` take the parts they run.
 */

/** The configuration (or exit with the one line naming the bad variable), a logger named for the process, its handlers. */
export function beginProcess(service: string): { config: Config; logger: Logger } {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, { service });
  installProcessHandlers(logger);
  return { config, logger };
}

export interface Core {
  db: DB;
  /** The in-memory case index; rebuilt within about 3 s when another process changes case data. */
  cases: CaseService;
  i18n: { t(lang: Lang): Translate };
  /** Stops the index watch and closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database and brings it to the latest schema; with `seed` (the bot's process) applies the
 * report's seed and logs what it changed and what it left as moderators set it (see applySeed).
 */
export async function openCore(config: Pick<Config, "database">, logger: Logger, options: { seed: boolean; seedFile?: string }): Promise<Core> {
  const db = await openDatabase(config.database, { onPoolError: (err) => logger.warn("database connection lost", { err }) });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info("migrations applied", { migrations: applied });
    if (options.seed) {
      const seed = await applySeed(db, options.seedFile);
      logger.info(seed.applied ? "seed data loaded" : "seed data unchanged", {
        cases: seed.cases,
        ...(seed.applied ? { added: seed.added.length, changed: seed.changed, left_as_moderators_set_them: seed.kept } : {}),
      });
    }
    const i18n = await createI18n();
    const cases = new CaseService(db);
    await cases.refresh();
    cases.watch(3000, (err) => logger.warn("case refresh failed", { err }));
    return {
      db,
      cases,
      i18n,
      close: async () => {
        cases.unwatch();
        await db.destroy();
      },
    };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

/** The services the web uses: the public face of the data, and following through the Mini App. */
export function webServices({ db, cases }: Pick<Core, "db" | "cases">): WebServices {
  const subscriptions = new SubscriptionService(db, cases);
  return {
    cases,
    subscriptions,
    // /forget drops the followed cases this process remembers along with the user's own.
    users: new UserService(db, { alsoRemembering: [subscriptions] }),
    stats: new StatsService(db),
    feeds: new FeedService(db),
    openData: new OpenDataService(db),
  };
}

/** Every service of the bot's process (the web's among them); `outbox.wake` nudges this process's worker. */
export function botServices(core: Pick<Core, "db" | "cases">, outbox: { wake(): void }): Services {
  const { db, cases } = core;
  return {
    ...webServices(core),
    moderation: new ModerationService(db, cases),
    caseAdmin: new CaseAdminService(db, cases),
    roles: new RoleService(db),
    outbox,
  };
}

export interface Outbox {
  /** Not started here: the runtime starts it (main, npm run worker, npm run try). */
  worker: OutboxWorker;
  /** The send budget every message of this process draws from, and its share across processes. */
  budget: SendBudget;
  share: BudgetShare;
  /** Stops the worker, then the share's heartbeat. */
  stop(): Promise<void>;
}

/**
 * The notification worker with the process's send budget, whose share of Telegram's 30 a second is
 * agreed with the other processes (`serves`: this process answers readers too, so it keeps room for them).
 */
export async function createOutbox(
  core: Core,
  config: Pick<Config, "botToken" | "apiRoot"> & Partial<Pick<Config, "chatGapMs">>,
  logger: Logger,
  options: { serves: boolean; budget?: SendBudget | undefined; apiRoot?: string | undefined; fetch?: unknown; worker?: Partial<WorkerOptions> },
): Promise<Outbox> {
  const budget = options.budget ?? new SendBudget(config.chatGapMs === undefined ? {} : { perChatGapMs: config.chatGapMs });
  const share = new BudgetShare(core.db, budget, { serves: options.serves }, logger.child({ component: "send-budget" }));
  await share.start();
  const api = noticeApi(config.botToken, { apiRoot: options.apiRoot ?? config.apiRoot, fetch: options.fetch });
  const worker = new OutboxWorker(
    core.db,
    createNoticeSender(api, core.i18n, core.cases, new MessageService(core.db)),
    logger.child({ component: "outbox" }),
    options.worker ?? {},
    { budget, share },
  );
  return {
    worker,
    budget,
    share,
    stop: async () => {
      await worker.stop();
      await share.stop();
    },
  };
}

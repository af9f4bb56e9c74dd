import type { Bot } from "grammy";
import { createBot, type BotOptions } from "./bot/index.js";
import type { BotContext, Services } from "./bot/context.js";
import { setCommands, setStaffMenu } from "./bot/commands.js";
import { setMiniAppMenu } from "./bot/mini-app.js";
import type { Config } from "./config/config.js";
import type { Translate } from "./i18n.js";
import type { Lang } from "./domain/codes.js";
import type { Logger } from "./logger.js";
import type { SendBudget } from "./services/notifications/budget.js";
import type { BudgetShare } from "./services/notifications/budget-share.js";
import type { OutboxWorker, WorkerOptions } from "./services/notifications/worker.js";
import { startPrivacySweep } from "./services/privacy-sweep.js";
import type { DB } from "./store/db.js";
import { botServices, createOutbox, openCore, type Outbox } from "./wiring.js";

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
  const core = await openCore(config, logger, { seed: true });
  let privacy: NodeJS.Timeout | undefined;
  let outbox: Outbox | undefined;
  const close = async () => {
    clearInterval(privacy);
    await outbox?.stop();
    await core.close();
  };
  try {
    privacy = startPrivacySweep(core.db, logger);
    const { budget: given, apiRoot, fetch } = botOptions;
    outbox = await createOutbox(core, config, logger, { serves: true, budget: given, apiRoot, fetch, worker: workerOptions });
    const { worker, budget } = outbox;
    const services = botServices(core, { wake: () => worker.wake() });
    const { demoted } = await services.roles.syncAdmins(config.adminIds);
    if (demoted.length > 0) logger.info("admins no longer in ADMIN_IDS are moderators now", { users: demoted });

    const { db, i18n } = core;
    const bot = createBot(config.botToken, { db, logger, services, i18n, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) }, { apiRoot: config.apiRoot, budget, ...botOptions });
    await bot.init();
    await setCommands(bot, i18n).catch((err: unknown) => logger.warn("setMyCommands failed", { err }));
    await setMiniAppMenu(bot.api, config.publicUrl, i18n.t("en")("web.miniapp.menu")).catch((err: unknown) => logger.warn("setChatMenuButton failed", { err }));
    for (const member of await services.roles.staff()) {
      await setStaffMenu(bot.api, i18n, member.telegram_id, member.language, true).catch(() => undefined);
    }
    return { bot, db, services, i18n, worker, budget, budgetShare: outbox.share, close };
  } catch (err) {
    await close();
    throw err;
  }
}

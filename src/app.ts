import type { Bot } from "grammy";
import { createBot, type BotOptions } from "./bot/index.js";
import type { BotContext, Services } from "./bot/context.js";
import type { Config } from "./config/config.js";
import { createI18n } from "./i18n.js";
import type { Logger } from "./logger.js";
import { CaseService } from "./services/cases.js";
import { UserService } from "./services/users.js";
import { type DB, openDatabase } from "./store/db.js";
import { migrateToLatest } from "./store/migrate.js";
import { applySeed } from "./store/seed.js";
import { setCommands } from "./bot/commands.js";

export interface App {
  bot: Bot<BotContext>;
  db: DB;
  services: Services;
  close(): Promise<void>;
}

/**
 * Everything but the update source: database with migrations and seed applied, services with their
 * in-memory index, and the bot with its identity fetched. Polling, webhook, `npm run try` and the
 * tests all start from here.
 */
export async function createApp(
  config: Pick<Config, "botToken" | "apiRoot" | "database" | "adminIds">,
  logger: Logger,
  botOptions: BotOptions = {},
): Promise<App> {
  const db = await openDatabase(config.database);
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info("migrations applied", { migrations: applied });
    const seed = await applySeed(db);
    logger.info(seed.applied ? "seed data loaded" : "seed data unchanged", { cases: seed.cases });

    const services: Services = { cases: new CaseService(db), users: new UserService(db) };
    await services.cases.refresh();
    await services.users.ensureAdmins(config.adminIds);

    const i18n = await createI18n();
    const bot = createBot(config.botToken, { logger, services, i18n }, { apiRoot: config.apiRoot, ...botOptions });
    await bot.init();
    await setCommands(bot, i18n).catch((err: unknown) => logger.warn("setMyCommands failed", { err }));
    return { bot, db, services, close: () => db.destroy() };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

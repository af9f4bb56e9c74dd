import { Api } from "grammy";
import { onShutdown, runMain } from "./runtime.js";
import { createWebApp } from "./web/app.js";
import { healthCheck } from "./services/health.js";
import { startWebServer } from "./web/server.js";
import { beginProcess, openCore, webServices } from "./wiring.js";

/**
 * `npm run web`: the web alone (pages, API, Mini App, /healthz), for a process of its own beside
 * PostgreSQL. It takes no updates and runs no worker; the bot's process seeds the data, and case
 * changes made elsewhere show here within seconds through the same revision watch as the bot's.
 */
async function main(): Promise<void> {
  const { config, logger } = beginProcess("casebot-web");
  const core = await openCore(config, logger, { seed: false });
  // The bot's username for "Follow in Telegram" links; the web still serves without it.
  const me = await new Api(config.botToken, { apiRoot: config.apiRoot })
    .getMe(AbortSignal.timeout(5000) as never)
    .catch((err: unknown) => logger.warn("getMe failed: pages will have no Telegram links", { err }));
  const web = createWebApp({
    services: webServices(core),
    i18n: core.i18n,
    logger,
    publicUrl: config.publicUrl,
    botToken: config.botToken,
    ...(me ? { botUsername: me.username } : {}),
    health: healthCheck(core.db),
  });
  const server = await startWebServer(web, config.port);
  logger.info("web", { port: server.port, public_url: config.publicUrl });

  onShutdown(logger, () => server.close(), core.close);
}

runMain("Web start-up", main);

import { run, type RunnerHandle } from "@grammyjs/runner";
import { createApp } from "./app.js";
import { createWebhookIntake } from "./bot/webhook.js";
import { onShutdown, runMain } from "./runtime.js";
import { createWebApp } from "./web/app.js";
import { healthCheck } from "./services/health.js";
import { startWebServer } from "./web/server.js";
import { beginProcess } from "./wiring.js";

/**
 * The process: the bot (polling through the runner, or webhook), the notification worker, and the
 * web on PORT (pages, API, /healthz and, in webhook mode, the webhook), with one shutdown path that
 * runs once on SIGINT/SIGTERM: stop taking updates, let the ones in hand finish, close the database.
 */
async function main(): Promise<void> {
  const { config, logger } = beginProcess("casebot");
  const started = Date.now();
  const app = await createApp(config, logger);
  const { bot } = app;
  app.worker.start();

  const webhook =
    config.mode.kind === "webhook" ? createWebhookIntake(bot, { secretToken: config.mode.secret, logger: logger.child({ component: "webhook" }) }) : undefined;
  const web = createWebApp(
    {
      services: app.services,
      i18n: app.i18n,
      logger: logger.child({ component: "web" }),
      publicUrl: config.publicUrl,
      botToken: config.botToken,
      botUsername: bot.botInfo.username,
      health: healthCheck(app.db, app.worker),
    },
    webhook && config.mode.kind === "webhook" ? { webhook: { path: new URL(config.mode.url).pathname, handle: (c) => webhook.handle(c) } } : {},
  );
  const server = await startWebServer(web, config.port);
  logger.info("web", { port: server.port, public_url: config.publicUrl });

  let stopUpdates: () => Promise<void>;
  if (config.mode.kind === "polling") {
    await bot.api.deleteWebhook();
    const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: ["message", "callback_query", "inline_query"] } } });
    stopUpdates = async () => {
      if (runner.isRunning()) await runner.stop();
      // Updates already taken from Telegram are confirmed there: finish them before the database closes.
      const deadline = Date.now() + 15_000;
      logger.info("draining", { in_hand: runner.size() });
      while (runner.size() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    };
    logger.info("polling", { username: bot.botInfo.username, startup_ms: Date.now() - started });
  } else {
    const { url, secret } = config.mode;
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ["message", "callback_query", "inline_query"] });
    // Updates answered to Telegram are ours to finish: the server stops taking new ones first.
    stopUpdates = async () => {
      logger.info("draining", { in_hand: webhook?.pending() ?? 0 });
      await webhook?.drain(15_000);
    };
    logger.info("webhook", { username: bot.botInfo.username, port: server.port, startup_ms: Date.now() - started });
  }

  onShutdown(
    logger,
    async () => {
      await server.close();
      await stopUpdates();
    },
    app.close,
  );
}

runMain("Start-up", main);

import { createServer } from "node:http";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { webhookCallback } from "grammy";
import { createApp } from "./app.js";
import { installProcessHandlers, loadConfigOrExit, onShutdown } from "./runtime.js";
import { createLogger } from "./logger.js";

/**
 * The process: polling (runner) or webhook, and one shutdown path that runs once on SIGINT/SIGTERM:
 * stop taking updates, let the ones in hand finish, close the database.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, { service: "casebot" });
  installProcessHandlers(logger);
  const started = Date.now();
  const app = await createApp(config, logger);
  const { bot } = app;
  app.worker.start();

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
    const { url, secret, port } = config.mode;
    const path = new URL(url).pathname;
    const handle = webhookCallback(bot, "http", { secretToken: secret });
    const server = createServer((req, res) => {
      if (req.method === "GET" && req.url === "/healthz") {
        app.db
          .selectFrom("meta")
          .select("key")
          .limit(1)
          .execute()
          .then(() => res.writeHead(200).end("ok"), () => res.writeHead(503).end("database unavailable"));
        return;
      }
      if (req.method === "POST" && req.url === path) {
        void handle(req, res);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(port, resolve));
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ["message", "callback_query", "inline_query"] });
    // close() lets requests in hand finish (their updates get handled), then stops the server.
    stopUpdates = () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    logger.info("webhook", { username: bot.botInfo.username, port, startup_ms: Date.now() - started });
  }

  onShutdown(logger, async () => {
    try {
      await stopUpdates();
    } finally {
      await app.close();
    }
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

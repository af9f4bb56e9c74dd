import { onShutdown, runMain } from "./runtime.js";
import { beginProcess, createOutbox, openCore } from "./wiring.js";

/**
 * `npm run worker`: only the notification outbox, for deployments that run it apart from the bot.
 * Several may run against one PostgreSQL database: rows are claimed with leases, and Telegram's
 * 30 messages a second are shared with the bot processes through the send budget.
 */
async function main(): Promise<void> {
  const { config, logger } = beginProcess("casebot-worker");
  const core = await openCore(config, logger, { seed: false });
  const outbox = await createOutbox(core, config, logger, { serves: false });
  outbox.worker.start();
  logger.info("worker started");

  onShutdown(logger, outbox.stop, core.close);
}

runMain("Worker start-up", main);

import { type Config, ConfigError, loadConfig } from "./config/config.js";
import type { Logger } from "./logger.js";

/** Reads the configuration, or stops the process with the one line that names the bad variable. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * One shutdown path for SIGINT and SIGTERM, run once however many signals arrive (npm and tsx
 * forward theirs too): `stop` finishes the work in hand, then the process exits 0.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    try {
      await stop();
    } catch (err) {
      logger.error("shutdown failed", { err });
    } finally {
      logger.info("stopped");
      process.exit(0);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

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
 * Runs a process's `main`; a failed start-up ends the process with one line on stderr
 * (`<what> failed: <message>`) and exit code 1.
 */
export function runMain(what: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${what} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

/**
 * One shutdown path for SIGINT and SIGTERM, run once however many signals arrive (npm and tsx
 * forward theirs too): `stop` finishes the work in hand, `release` (the database) runs after it even
 * when it failed, then the process exits 0.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>, release: () => Promise<void> = async () => undefined): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    try {
      try {
        await stop();
      } finally {
        await release();
      }
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

/** Error codes of a lost connection (a restarted database, a dropped socket): the process can carry on. */
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "57P01", // PostgreSQL admin_shutdown: the server is restarting
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
]);

/** True for an error that only means a connection went away: nothing in memory is broken by it. */
export function isSurvivable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
  return /Connection terminated|terminating connection due to administrator command|Client has encountered a connection error/i.test(err.message);
}

/**
 * Process-level last resort. A promise rejected with nobody listening would end the process (Node's
 * default) without a word in our logs: log it and carry on, since the update or job it belonged to is
 * already lost and the others are fine. An uncaught exception is logged too; after a lost connection
 * the process carries on, after anything else it exits 1 with the error in the log, because its state
 * may be broken and a supervisor (Docker, systemd) restarts it clean.
 */
export function installProcessHandlers(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const onRejection = (reason: unknown) => {
    logger.error("unhandled rejection", { err: reason });
  };
  const onException = (err: unknown, origin: string) => {
    if (isSurvivable(err)) {
      logger.error("uncaught exception, connection lost; carrying on", { err, origin });
      return;
    }
    logger.error("uncaught exception; exiting", { err, origin });
    exit(1);
  };
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  return () => {
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
  };
}

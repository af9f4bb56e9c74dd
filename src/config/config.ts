/**
 * Configuration is read once at start-up from the environment. A missing or malformed value stops
 * start-up with a single line that names the variable, so an operator never has to read a stack trace.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export type DatabaseConfig =
  | { kind: "sqlite"; file: string }
  | { kind: "postgres"; url: string };

export type Mode =
  | { kind: "polling" }
  | { kind: "webhook"; url: string; secret: string };

export interface Config {
  botToken: string;
  apiRoot: string;
  database: DatabaseConfig;
  adminIds: number[];
  logLevel: LogLevel;
  mode: Mode;
  /** The web server's port: pages, API, /healthz and, in webhook mode, the webhook. */
  port: number;
  /** The address the public sees (links, feeds, OpenGraph, the Mini App button), without a trailing slash. */
  publicUrl: string;
  /**
   * Time from Telegram's answer to one message in a chat to the next message there (Telegram allows
   * about one a second). 0 only against a stand-in without limits (tests).
   */
  chatGapMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];
export const DEFAULT_DATABASE_FILE = "./data/casebot.sqlite";
export const DEFAULT_API_ROOT = "https://api.telegram.org";
export const MIN_WEBHOOK_SECRET = 32;

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === "" ? undefined : trimmed;
}

function parseToken(env: Env): string {
  const token = value(env, "BOT_TOKEN");
  if (token === undefined) {
    throw new ConfigError("BOT_TOKEN", "is required; get a token from @BotFather in Telegram (/newbot) and set BOT_TOKEN=<id>:<secret>");
  }
  if (!/^\d+:[A-Za-z0-9_-]+$/.test(token)) {
    throw new ConfigError("BOT_TOKEN", "is not a bot token (expected <digits>:<secret> as given by @BotFather)");
  }
  return token;
}

function parseUrl(env: Env, name: string, fallback?: string): string | undefined {
  const raw = value(env, name) ?? fallback;
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a URL: ${JSON.stringify(raw.slice(0, 80))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(name, "must be an http:// or https:// URL");
  }
  return raw.replace(/\/+$/, "");
}

function parseDatabase(env: Env): DatabaseConfig {
  const raw = value(env, "DATABASE_URL") ?? DEFAULT_DATABASE_FILE;
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError("DATABASE_URL", "is not a valid postgres:// URL");
    }
    return { kind: "postgres", url: raw };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError("DATABASE_URL", "must be a SQLite file path or a postgres:// URL");
  }
  const file = raw.startsWith("sqlite:") ? raw.slice("sqlite:".length) : raw;
  if (file === "") throw new ConfigError("DATABASE_URL", "names an empty SQLite file path");
  return { kind: "sqlite", file };
}

function parseAdminIds(env: Env): number[] {
  const raw = value(env, "ADMIN_IDS");
  if (raw === undefined) return [];
  return raw.split(",").map((part) => {
    const id = part.trim();
    if (!/^-?\d{1,16}$/.test(id)) {
      throw new ConfigError("ADMIN_IDS", `must be comma-separated Telegram ids; ${JSON.stringify(id.slice(0, 40))} is not one`);
    }
    return Number(id);
  });
}

function parseLogLevel(env: Env): LogLevel {
  const raw = (value(env, "LOG_LEVEL") ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}`);
  }
  return raw as LogLevel;
}

function parseChatGap(env: Env): number {
  const raw = value(env, "TELEGRAM_CHAT_GAP_MS") ?? "1015";
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms > 10_000) throw new ConfigError("TELEGRAM_CHAT_GAP_MS", "must be a whole number of milliseconds from 0 to 10000");
  return ms;
}

function parsePort(env: Env): number {
  const raw = value(env, "PORT") ?? "8080";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError("PORT", "must be a whole number from 1 to 65535");
  }
  return port;
}

function parseMode(env: Env): Mode {
  const url = parseUrl(env, "WEBHOOK_URL");
  if (url === undefined) return { kind: "polling" };
  if (!url.startsWith("https://") && !/^http:\/\/(127\.|localhost)/.test(url)) {
    throw new ConfigError("WEBHOOK_URL", "must be an https:// URL (Telegram only delivers to HTTPS)");
  }
  const secret = value(env, "WEBHOOK_SECRET");
  if (secret === undefined) throw new ConfigError("WEBHOOK_SECRET", "is required when WEBHOOK_URL is set");
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
    throw new ConfigError("WEBHOOK_SECRET", "may hold only A-Z, a-z, 0-9, _ and -, 1 to 256 characters");
  }
  // Anyone who guesses the secret can post forged updates (as any user, moderators included).
  if (secret.length < MIN_WEBHOOK_SECRET) {
    throw new ConfigError("WEBHOOK_SECRET", `must be at least ${MIN_WEBHOOK_SECRET} characters (e.g. openssl rand -hex 24)`);
  }
  return { kind: "webhook", url, secret };
}

function parsePublicUrl(env: Env, port: number): string {
  const raw = value(env, "PUBLIC_URL");
  if (raw === undefined) return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("PUBLIC_URL", `is not a URL: ${JSON.stringify(raw.slice(0, 80))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("PUBLIC_URL", "must be an http:// or https:// URL (the address readers open)");
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "" || url.pathname !== "/") {
    throw new ConfigError("PUBLIC_URL", "must be the site's address alone, e.g. https://cases.example.org (the web is served at the root: no path, query or credentials)");
  }
  return url.origin;
}

/** DATABASE_URL alone, exactly as loadConfig reads it: for the tools, which need no bot token. */
export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  return parseDatabase(env);
}

export function loadConfig(env: Env = process.env): Config {
  const port = parsePort(env);
  return {
    botToken: parseToken(env),
    apiRoot: parseUrl(env, "TELEGRAM_API_ROOT", DEFAULT_API_ROOT) ?? DEFAULT_API_ROOT,
    database: parseDatabase(env),
    adminIds: parseAdminIds(env),
    logLevel: parseLogLevel(env),
    mode: parseMode(env),
    port,
    publicUrl: parsePublicUrl(env, port),
    chatGapMs: parseChatGap(env),
  };
}

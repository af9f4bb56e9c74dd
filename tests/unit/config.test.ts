import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_API_ROOT, loadConfig } from "../../src/config/config.js";

const TOKEN = "123456:ABC-def_ghi";

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("needs BOT_TOKEN and says how to get one", () => {
    const err = errorOf({});
    expect(err.variable).toBe("BOT_TOKEN");
    expect(err.message).toMatch(/BotFather/);
    expect(err.message.split("\n")).toHaveLength(1);
  });

  it("uses the defaults: Telegram's API, SQLite under ./data, polling, info logs", () => {
    const c = loadConfig({ BOT_TOKEN: TOKEN });
    expect(c.apiRoot).toBe(DEFAULT_API_ROOT);
    expect(c.database).toEqual({ kind: "sqlite", file: "./data/casebot.sqlite" });
    expect(c.mode).toEqual({ kind: "polling" });
    expect(c.logLevel).toBe("info");
    expect(c.adminIds).toEqual([]);
  });

  it("reads every variable", () => {
    const c = loadConfig({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      DATABASE_URL: "postgres://bot:pw@127.0.0.1:5432/casebot",
      ADMIN_IDS: "12, 34",
      LOG_LEVEL: "DEBUG",
      WEBHOOK_URL: "https://bot.example.org/hook",
      WEBHOOK_SECRET: "s3cret-s3cret-s3cret-s3cret-s3cret",
      PORT: "9000",
    });
    expect(c.apiRoot).toBe("http://127.0.0.1:8081");
    expect(c.database.kind).toBe("postgres");
    expect(c.adminIds).toEqual([12, 34]);
    expect(c.logLevel).toBe("debug");
    expect(c.mode).toEqual({ kind: "webhook", url: "https://bot.example.org/hook", secret: "s3cret-s3cret-s3cret-s3cret-s3cret" });
    expect(c.port).toBe(9000);
  });

  it("serves the web on PORT (8080 by default) and takes PUBLIC_URL without its trailing slash", () => {
    const d = loadConfig({ BOT_TOKEN: TOKEN });
    expect(d.port).toBe(8080);
    expect(d.publicUrl).toBe("http://localhost:8080");
    const c = loadConfig({ BOT_TOKEN: TOKEN, PORT: "9001", PUBLIC_URL: "https://cases.example.org/" });
    expect(c.port).toBe(9001);
    expect(c.publicUrl).toBe("https://cases.example.org");
  });

  it.each([
    [{ BOT_TOKEN: "nonsense" }, "BOT_TOKEN"],
    [{ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: "not a url" }, "TELEGRAM_API_ROOT"],
    [{ BOT_TOKEN: TOKEN, DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ BOT_TOKEN: TOKEN, ADMIN_IDS: "12,abc" }, "ADMIN_IDS"],
    [{ BOT_TOKEN: TOKEN, LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://x.org/h" }, "WEBHOOK_SECRET"],
    [{ BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://x.org/h", WEBHOOK_SECRET: "x".repeat(32), PORT: "99999" }, "PORT"],
    [{ BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://x.org/h", WEBHOOK_SECRET: "x".repeat(31) }, "WEBHOOK_SECRET"],
    [{ BOT_TOKEN: TOKEN, PORT: "http" }, "PORT"],
    [{ BOT_TOKEN: TOKEN, PUBLIC_URL: "cases.example.org" }, "PUBLIC_URL"],
    [{ BOT_TOKEN: TOKEN, PUBLIC_URL: "ftp://cases.example.org" }, "PUBLIC_URL"],
    [{ BOT_TOKEN: TOKEN, PUBLIC_URL: "https://cases.example.org/?x=1" }, "PUBLIC_URL"],
    [{ BOT_TOKEN: TOKEN, PUBLIC_URL: "https://cases.example.org/kz" }, "PUBLIC_URL"],
  ])("names the bad variable (%o)", (env, variable) => {
    const err = errorOf(env as Record<string, string>);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(variable)).toBe(true);
  });

  it("refuses a WEBHOOK_SECRET shorter than 32 characters, naming the variable", () => {
    const env = { BOT_TOKEN: TOKEN, WEBHOOK_URL: "https://x.org/h" };
    const err = errorOf({ ...env, WEBHOOK_SECRET: "s3cret" });
    expect(err.variable).toBe("WEBHOOK_SECRET");
    expect(err.message).toMatch(/^WEBHOOK_SECRET: .*at least 32 characters/);
    expect(loadConfig({ ...env, WEBHOOK_SECRET: "a".repeat(32) }).mode.kind).toBe("webhook");
  });
});

import type { DatabaseConfig } from "../config/config.js";

/** Where a DatabaseConfig points, without any password: what the tools print. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === "sqlite") return `SQLite ${config.file}`;
  try {
    const url = new URL(config.url);
    return `PostgreSQL ${url.host}${url.pathname}`;
  } catch {
    return "PostgreSQL";
  }
}

import { type MigrationProvider, Migrator } from "kysely";
import { migrations } from "../../db/migrations/index.js";
import type { DB } from "./db.js";

export class MigrationError extends Error {
  constructor(
    readonly migration: string | undefined,
    override readonly cause: unknown,
  ) {
    super(`migration ${migration ?? "(unknown)"} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "MigrationError";
  }
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema to the latest version; returns the names of the migrations it applied. */
export async function migrateToLatest(db: DB): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error !== undefined) throw new MigrationError(failed?.migrationName, error);
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Migrations not yet applied to this database (read only: nothing is created). */
export async function pendingMigrations(db: DB): Promise<string[]> {
  const all = await new Migrator({ db, provider, allowUnorderedMigrations: true }).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

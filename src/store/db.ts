import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { type DialectAdapter, Kysely, PostgresDialect, sql, SqliteAdapter, SqliteDialect, type Transaction } from "kysely";
import type { DatabaseConfig } from "../config/config.js";
import type { Database } from "./schema.js";

export type DB = Kysely<Database>;
/** What a repository that must run inside its caller's transaction takes. */
export type Tx = Transaction<Database>;

/**
 * How long PostgreSQL may keep us waiting. During an outage a reader must hear "try again later"
 * within seconds, and /healthz must answer, rather than an update hanging until Telegram gives up.
 */
export interface PoolTimeouts {
  /** Opening a connection, or waiting for a free one in the pool. */
  connectMs: number;
  /** The server cancels a statement running longer (statement_timeout). */
  statementMs: number;
  /** The client gives up on an answer (a server that stopped answering cancels nothing itself). */
  queryMs: number;
}

export const POOL_TIMEOUTS: PoolTimeouts = { connectMs: 5_000, statementMs: 10_000, queryMs: 12_000 };

export interface OpenOptions {
  /** Told about errors of idle pooled connections (a restarted server); they are not fatal. */
  onPoolError?: (err: Error) => void;
  timeouts?: Partial<PoolTimeouts>;
}

/** Opens the embedded SQLite file (creating its folder) or a PostgreSQL pool. */
export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<DB> {
  if (config.kind === "sqlite") return openSqlite(config.file);
  const pg = await import("pg");
  // Telegram ids exceed 2^31: read BIGINT as a JS number (they stay below 2^53).
  pg.default.types.setTypeParser(20, (v: string) => Number(v));
  const t = { ...POOL_TIMEOUTS, ...options.timeouts };
  const pool = new pg.default.Pool({
    connectionString: config.url,
    max: 10,
    connectionTimeoutMillis: t.connectMs,
    statement_timeout: t.statementMs,
    query_timeout: t.queryMs,
    idleTimeoutMillis: 30_000,
  });
  // A client whose server goes away (a restart) emits "error": on the pool while idle, on itself while
  // checked out between two queries. With no listener Node turns either into an uncaught exception
  // that ends the process. The pool drops such a client; the query in flight fails on its own.
  const report = (err: Error) => options.onPoolError?.(err);
  pool.on("error", report);
  pool.on("connect", (client) => client.on("error", report));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Kysely's SQLite adapter takes no migration lock (it assumes one process per file): two processes
 * starting on one fresh file would both run the same migration and one would fail. Here the
 * migrator's connection holds a write lock (BEGIN IMMEDIATE, which waits up to busy_timeout for
 * another process's migrations to finish) from before it reads which migrations ran until after
 * the last one, so the second process finds the work done.
 */
class MigrationLockingSqliteAdapter extends SqliteAdapter {
  constructor(private readonly database: SQLite.Database) {
    super();
  }
  override async acquireMigrationLock(db: Kysely<any>): Promise<void> {
    await sql`begin immediate`.execute(db);
  }
  override async releaseMigrationLock(db: Kysely<any>): Promise<void> {
    if (this.database.inTransaction) await sql`commit`.execute(db);
  }
}

class LockingSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SQLite.Database) {
    super({ database: reusingStatements(database) });
  }
  override createAdapter(): DialectAdapter {
    return new MigrationLockingSqliteAdapter(this.database);
  }
}

/** Statements kept prepared, the most recently used first: the app's queries are a few dozen texts. */
const STATEMENT_CACHE = 256;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs about as much as running a small
 * one. Each text is prepared once here and its statement used again (SQLite prepares it again itself
 * after a schema change). One connection runs one query at a time, so a statement is never in use
 * twice at once.
 */
function reusingStatements(database: SQLite.Database): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string): SQLite.Statement {
      let stmt = cache.get(sql);
      if (stmt !== undefined) {
        cache.delete(sql);
      } else {
        stmt = database.prepare(sql);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
    close(): void {
      cache.clear();
      database.close();
    },
  };
}

export function openSqlite(file: string): DB {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  // First, so that the switch to WAL (which needs a moment of exclusive access) waits for another process.
  database.pragma("busy_timeout = 5000");
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  database.pragma("synchronous = NORMAL");
  return new Kysely<Database>({ dialect: new LockingSqliteDialect(database) });
}

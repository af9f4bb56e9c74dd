/** Small helpers shared by the benchmark scripts (never by tests: the bench stands on its own). */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { DB } from "../src/store/db.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const TELEGRAM_RATE = 30;
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** One line of a figure beside its target: `name  value  (target …)  met|MISSED`. */
export function figure(name: string, value: string, target: string, met: boolean): void {
  console.log(`  ${name.padEnd(44)} ${value.padStart(14)}   target ${target.padEnd(22)} ${met ? "met" : "MISSED"}`);
}

/**
 * `n` followers (users) and one published update with a pending delivery to each, written straight
 * into the database: what an approval leaves behind. Returns the follower ids.
 */
export async function seedFanout(db: DB, n: number, firstId: number, slug = "maks-bokayev"): Promise<number[]> {
  const now = new Date().toISOString();
  const ids = Array.from({ length: n }, (_, i) => firstId + i);
  const event = await db
    .insertInto("case_events")
    .values({
      case_slug: slug,
      event_date: now.slice(0, 10),
      origin: "update",
      seed_key: null,
      original_lang: "ru",
      text_en: null,
      text_ru: "Суд над Максом Бокаевым перенесён на следующую неделю, сообщил адвокат",
      text_kk: null,
      source_url: null,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (let i = 0; i < n; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await db.insertInto("users").values(chunk.map((id) => ({ telegram_id: id, language: "en", role: "reader", active: 1, created_at: now }))).execute();
    await db
      .insertInto("deliveries")
      .values(chunk.map((id) => ({ event_id: event.id, user_id: id, kind: "update", status: "pending", attempts: 0, next_attempt_at: Date.now(), lease_until: null, last_error: null, created_at: now, sent_at: null })))
      .execute();
  }
  return ids;
}

export async function pendingCount(db: DB): Promise<number> {
  const r = await db.selectFrom("deliveries").select((eb) => eb.fn.countAll().as("n")).where("status", "=", "pending").executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A fresh PostgreSQL database on the server of `serverUrl`; `drop` removes it. */
export async function freshPostgres(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `casebot_bench_${randomBytes(5).toString("hex")}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface Proc {
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** Runs `npm start` or `npm run worker` in its own process group; resolves once it logged `msg`. */
export async function startNpm(script: "start" | "worker", env: Record<string, string>, msg: string): Promise<Proc> {
  const child = spawn("npm", script === "start" ? ["start", "--silent"] : ["run", script, "--silent"], {
    cwd: ROOT,
    env: { PATH: process.env["PATH"], HOME: process.env["HOME"], LOG_LEVEL: "info", ...env },
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-200_000)));
  const closed = new Promise<void>((r) => child.on("close", () => r()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // gone
    }
  };
  const t0 = Date.now();
  while (!err.includes(`"msg":"${msg}"`)) {
    if (child.exitCode !== null) throw new Error(`npm ${script} exited: ${err.slice(-2000)}`);
    if (Date.now() - t0 > 90_000) throw new Error(`npm ${script} did not start: ${err.slice(-2000)}`);
    await sleep(50);
  }
  return {
    child,
    stderr: () => err,
    stop: async () => {
      kill("SIGTERM");
      const timer = setTimeout(() => kill("SIGKILL"), 10_000);
      await closed;
      clearTimeout(timer);
    },
  };
}

import { execFile, execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";

/**
 * A PostgreSQL server of the test's own (initdb into a temp dir, a free port), so that a test may
 * stop, freeze and restart it without touching the server others use. Needs PostgreSQL's binaries;
 * as root it runs them as the `postgres` user (initdb refuses root).
 */
export const PG_BIN = process.env["TEST_POSTGRES_BIN"] ?? "/usr/lib/postgresql/15/bin";

/** Why a private server cannot run here, or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  for (const tool of ["initdb", "pg_ctl", "postgres"]) {
    if (!existsSync(join(PG_BIN, tool))) return `${join(PG_BIN, tool)} is missing (set TEST_POSTGRES_BIN to PostgreSQL's bin folder)`;
  }
  if (process.getuid?.() === 0 && spawnSync("id", ["-u", "postgres"]).status !== 0) return "running as root without a postgres user to run the server as";
  return undefined;
}


export interface PrivatePostgres {
  url: string;
  /**
   * Stops and starts the server without blocking this process: the bot under test keeps running, and
   * sees the connections end when they do, as it would with a server restarted beside it.
   */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops every server process with SIGSTOP: connections stay open but nothing answers. */
  freeze(): void;
  thaw(): void;
  destroy(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), "casebot-pg-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  let uid: number | undefined;
  let gid: number | undefined;
  if (asRoot) {
    uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const cmd = asRoot ? "runuser" : join(PG_BIN, tool);
    const argv = asRoot ? ["-u", "postgres", "--", join(PG_BIN, tool), ...args] : args;
    const r = spawnSync(cmd, argv, { encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
  };
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const log = join(dir, "server.log");
  /** The same as `run`, without blocking the event loop meanwhile. */
  const runAsync = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const cmd = asRoot ? "runuser" : join(PG_BIN, tool);
      const argv = asRoot ? ["-u", "postgres", "--", join(PG_BIN, tool), ...args] : args;
      execFile(cmd, argv, { encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${tool} ${args.join(" ")} failed: ${stderr || stdout || err.message}`)) : resolve(),
      );
    });
  const startArgs = ["-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start"];
  const stopArgs = ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"];
  /** The postmaster and its children (backends, checkpointer…), by pid. */
  const pids = (): number[] => {
    const main = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    const children = spawnSync("ps", ["-o", "pid=", "--ppid", String(main)], { encoding: "utf8" })
      .stdout.split("\n")
      .map((l) => Number(l.trim()))
      .filter((p) => p > 0);
    return [main, ...children];
  };
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of pids()) {
      try {
        process.kill(pid, sig);
      } catch {
        // gone meanwhile
      }
    }
  };
  run("pg_ctl", startArgs);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => runAsync("pg_ctl", startArgs),
    stop: () => runAsync("pg_ctl", stopArgs),
    freeze: () => signal("SIGSTOP"),
    thaw: () => signal("SIGCONT"),
    destroy: () => {
      if (stopped) return;
      stopped = true;
      try {
        signal("SIGCONT");
        run("pg_ctl", stopArgs);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Web figures for the open data and the charts: requests per second and latency percentiles from
 * autocannon for the CSV and JSON exports, the Atom feed and the /stats page, beside a bare Hono route
 * in the same run. The servers run in a child process (bench/web-server.ts) on 127.0.0.1 only; every
 * run is bounded in time.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

interface Histogram {
  average: number;
  p50: number;
  p99: number;
}
interface Result {
  requests: Histogram & { total: number };
  latency: Histogram;
  throughput: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; pipelining?: number; headers?: Record<string, string> }) => Promise<Result>;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
const DURATION_S = Number(process.env["BENCH_WEB_SECONDS"] ?? 5);
const CONNECTIONS = 10;

export interface BenchServers {
  ports: { bare: number; web: number };
  /** The server process's CPU time so far, in µs. */
  cpuMicros(): Promise<number>;
  stop(): void;
}

export async function startServers(): Promise<BenchServers> {
  const script = fileURLToPath(new URL("./web-server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`bench web server exited (${code})`)));
  });
  const ports = JSON.parse(line) as { bare: number; web: number };
  const cpuMicros = async () => ((await (await fetch(`http://127.0.0.1:${ports.bare}/_cpu`)).json()) as { micros: number }).micros;
  return { ports, cpuMicros, stop: () => child.stdin!.end() };
}

export async function benchOpenData(): Promise<void> {
  const { ports, cpuMicros, stop } = await startServers();
  try {
    const targets: Array<[string, string]> = [
      ["bare Hono route", `http://127.0.0.1:${ports.bare}/`],
      ["GET /api/v1/export.csv", `http://127.0.0.1:${ports.web}/api/v1/export.csv`],
      ["GET /api/v1/export.json", `http://127.0.0.1:${ports.web}/api/v1/export.json`],
      ["GET /feeds/updates.atom", `http://127.0.0.1:${ports.web}/feeds/updates.atom?lang=ru`],
      ["GET /stats (page)", `http://127.0.0.1:${ports.web}/stats?lang=kk`],
    ];
    console.log(`${CONNECTIONS} connections, ${DURATION_S} s each, servers in a child process on 127.0.0.1`);
    console.log(`${"route".padEnd(26)} ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"MB/s".padStart(6)} ${"non-2xx".padStart(8)} ${"µs CPU/req".padStart(8)}`);
    let bare = 0;
    for (const [name, url] of targets) {
      // A short warm-up fills caches and JIT before the measured run.
      await autocannon({ url, connections: CONNECTIONS, duration: 1 });
      const cpu0 = await cpuMicros();
      const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
      const cpu = (await cpuMicros()) - cpu0;
      if (bare === 0) bare = r.requests.average;
      const share = bare > 0 && r.requests.average !== bare ? ` (${((r.requests.average / bare) * 100).toFixed(0)}% of bare)` : "";
      console.log(
        `${name.padEnd(26)} ${r.requests.average.toFixed(0).padStart(8)} ${String(r.latency.p50).padStart(7)} ${String(r.latency.p99).padStart(7)} ${(r.throughput.average / 1e6).toFixed(1).padStart(6)} ${String(r.non2xx + r.errors + r.timeouts).padStart(8)} ${(cpu / Math.max(1, r.requests.total)).toFixed(0).padStart(8)}${share}`,
      );
    }
    // Conditional GET: what a polling client that keeps the ETag costs.
    const head = await fetch(`http://127.0.0.1:${ports.web}/api/v1/export.csv`);
    const etag = head.headers.get("etag") ?? "";
    await head.arrayBuffer();
    const r = await autocannon({ url: `http://127.0.0.1:${ports.web}/api/v1/export.csv`, connections: CONNECTIONS, duration: DURATION_S, headers: { "if-none-match": etag } });
    console.log(`${"export.csv, If-None-Match".padEnd(26)} ${r.requests.average.toFixed(0).padStart(8)} ${String(r.latency.p50).padStart(7)} ${String(r.latency.p99).padStart(7)}    (304s)`);
  } finally {
    stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchOpenData();

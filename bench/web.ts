/**
 * The web under load: requests per second and p99 latency for a case page and the search API, beside
 * a bare hello-world route of the same framework (Hono on @hono/node-server) in the same run, measured
 * with autocannon over loopback. Target: the case page at no less than half the bare route's throughput.
 * BENCH_WEB_SECONDS sets the length of each measurement (default 3), BENCH_WEB_ROUNDS how many rounds (default 3).
 */
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { startServers } from "./open-data.js";

const TARGET_RATIO = 0.5;

interface Row {
  name: string;
  rps: number;
  /** The server's CPU per request, µs. */
  cpu: number;
  p50: number;
  p99: number;
  errors: number;
}

function measure(url: string, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 16, pipelining: 1, duration: seconds, headers: { "accept-language": "ru" } }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The machine is shared and its load drifts: measured one after another, the bare route and the case
 * page would see different machines. So each round measures every target in turn, the rounds repeat,
 * and the figures are the medians over rounds (the ratio is taken within each round, then its median).
 */
export async function benchWeb(seconds = Number(process.env["BENCH_WEB_SECONDS"] ?? 3), rounds = Number(process.env["BENCH_WEB_ROUNDS"] ?? 3)): Promise<void> {
  // The servers run in a process of their own (bench/web-server.ts), so autocannon does not share their event loop.
  const { ports, cpuMicros, stop } = await startServers();
  try {
    const targets: Array<[string, string]> = [
      ["bare hello-world route", `http://127.0.0.1:${ports.bare}/`],
      ["case page /cases/maks-bokayev", `http://127.0.0.1:${ports.web}/cases/maks-bokayev?lang=ru`],
      ["bare route, the case page's bytes", `http://127.0.0.1:${ports.bare}/same-bytes`],
      ["search API /api/v1/cases?q=Боқаев", `http://127.0.0.1:${ports.web}/api/v1/cases?q=${encodeURIComponent("Боқаев")}`],
      ["search API, several (Khrapunov)", `http://127.0.0.1:${ports.web}/api/v1/cases?q=Khrapunov`],
    ];
    // Warm the servers (JIT, caches) before anything is counted.
    for (const [, url] of targets) await measure(url, 1);
    const runs: Row[][] = targets.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (const [i, [name, url]] of targets.entries()) {
        const cpu0 = await cpuMicros();
        const r = await measure(url, seconds);
        const cpu = ((await cpuMicros()) - cpu0) / Math.max(1, r.requests.total);
        runs[i]!.push({ name, cpu, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
      }
    }
    console.log(`16 connections, ${rounds} rounds of ${seconds} s per target (medians), loopback; servers in a child process`);
    console.log("target                               req/s     p50 ms   p99 ms   µs CPU/req   errors   req/s each round");
    for (const rs of runs) {
      const errors = rs.reduce((n, r) => n + r.errors, 0);
      console.log(
        `${rs[0]!.name.padEnd(36)} ${median(rs.map((r) => r.rps)).toFixed(0).padStart(7)}   ${median(rs.map((r) => r.p50)).toFixed(1).padStart(6)}   ${median(rs.map((r) => r.p99)).toFixed(1).padStart(6)}   ${median(rs.map((r) => r.cpu)).toFixed(0).padStart(10)}   ${String(errors).padEnd(6)}   ${rs.map((r) => r.rps.toFixed(0)).join(" ")}`,
      );
    }
    const ratios = runs[1]!.map((r, i) => r.rps / runs[0]![i]!.rps);
    const ratio = median(ratios);
    console.log(`case page / bare route throughput: ${ratio.toFixed(2)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(" ")})`);
    // What the server spends per request does not depend on what else runs on the machine: the
    // throughput ratio a server with the CPU to itself would show.
    const cpuRatio = median(runs[0]!.map((r) => r.cpu)) / median(runs[1]!.map((r) => r.cpu));
    console.log(`bare route / case page server CPU per request: ${cpuRatio.toFixed(2)} (the throughput ratio with the server's CPU to itself)`);
    const own = median(runs[1]!.map((r) => r.cpu)) - median(runs[2]!.map((r) => r.cpu));
    console.log(`case page server CPU beyond sending its bytes from a bare route: ${own.toFixed(0)} µs per request`);
    console.log(`target (case page at least ${TARGET_RATIO} of the bare route): ${ratio >= TARGET_RATIO ? "met" : "missed"} by measured throughput; ${cpuRatio >= TARGET_RATIO ? "met" : "missed"} by server CPU per request`);
  } finally {
    stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchWeb().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

/**
 * The web under load: requests per second and p99 latency for a case page and the search API, beside
 * a bare hello-world route of the same framework (Hono on @hono/node-server) in the same run, measured
 * with autocannon over loopback. Target: the case page at no less than half the bare route's throughput.
 * BENCH_WEB_SECONDS sets the length of each measurement (default 5).
 */
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { startServers } from "./open-data.js";

const TARGET_RATIO = 0.5;

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function measure(url: string, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 16, pipelining: 1, duration: seconds, headers: { "accept-language": "ru" } }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

export async function benchWeb(seconds = Number(process.env["BENCH_WEB_SECONDS"] ?? 5)): Promise<void> {
  // The servers run in a process of their own (bench/web-server.ts), so autocannon does not share their event loop.
  const { ports, stop } = await startServers();
  try {
    const targets: Array<[string, string]> = [
      ["bare hello-world route", `http://127.0.0.1:${ports.bare}/`],
      ["case page /cases/maks-bokayev", `http://127.0.0.1:${ports.web}/cases/maks-bokayev?lang=ru`],
      ["search API /api/v1/cases?q=Боқаев", `http://127.0.0.1:${ports.web}/api/v1/cases?q=${encodeURIComponent("Боқаев")}`],
      ["search API, several (Khrapunov)", `http://127.0.0.1:${ports.web}/api/v1/cases?q=Khrapunov`],
    ];
    // Warm the servers (JIT, caches) before anything is counted.
    for (const [, url] of targets) await measure(url, 1);
    const rows: Row[] = [];
    for (const [name, url] of targets) {
      const r = await measure(url, seconds);
      rows.push({ name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
    }
    console.log(`16 connections, ${seconds} s each, loopback; servers in a child process`);
    console.log("target                               req/s     p50 ms   p99 ms   errors");
    for (const r of rows) {
      console.log(`${r.name.padEnd(36)} ${r.rps.toFixed(0).padStart(7)}   ${r.p50.toFixed(1).padStart(6)}   ${r.p99.toFixed(1).padStart(6)}   ${r.errors}`);
    }
    const ratio = rows[1]!.rps / rows[0]!.rps;
    console.log(`case page / bare route throughput: ${ratio.toFixed(2)}`);
    console.log(`target (case page at least ${TARGET_RATIO} of the bare route): ${ratio >= TARGET_RATIO ? "met" : "missed"}`);
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

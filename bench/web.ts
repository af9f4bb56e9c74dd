/**
 * The web under load: requests per second and p99 latency for a case page and the search API, beside
 * a bare hello-world route of the same framework (Hono on @hono/node-server) in the same run, measured
 * with autocannon over loopback. Target: the case page at no less than half the bare route's throughput.
 * BENCH_WEB_SECONDS sets the length of each measurement (default 5).
 */
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { Hono } from "hono";
import { createI18n } from "../src/i18n.js";
import { createLogger } from "../src/logger.js";
import { CaseService } from "../src/services/cases.js";
import { FeedService } from "../src/services/feeds.js";
import { OpenDataService } from "../src/services/open-data.js";
import { StatsService } from "../src/services/stats.js";
import { SubscriptionService } from "../src/services/subscriptions.js";
import { UserService } from "../src/services/users.js";
import { openSqlite } from "../src/store/db.js";
import { migrateToLatest } from "../src/store/migrate.js";
import { applySeed } from "../src/store/seed.js";
import { createWebApp } from "../src/web/app.js";
import { startWebServer, type WebServer } from "../src/web/server.js";

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
  const db = openSqlite(":memory:");
  const servers: WebServer[] = [];
  try {
    await migrateToLatest(db);
    await applySeed(db);
    const cases = new CaseService(db);
    await cases.refresh();
    const unlimited = { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 };
    const web = createWebApp({
      services: {
        cases,
        subscriptions: new SubscriptionService(db, cases),
        users: new UserService(db),
        stats: new StatsService(db),
        feeds: new FeedService(db),
        openData: new OpenDataService(db),
      },
      i18n: await createI18n(),
      logger: createLogger("silent"),
      publicUrl: "https://cases.example.org",
      botToken: "123456:bench",
      botUsername: "kz_cases_bot",
      health: async () => ({ ok: true, checks: {} }),
      limits: { api: unlimited, search: unlimited },
    });
    const bare = new Hono();
    bare.get("/", (c) => c.text("Hello, world!"));
    const site = await startWebServer(web, 0, "127.0.0.1");
    const hello = await startWebServer(bare, 0, "127.0.0.1");
    servers.push(site, hello);

    const targets: Array<[string, string]> = [
      ["bare hello-world route", `http://127.0.0.1:${hello.port}/`],
      ["case page /cases/maks-bokayev", `http://127.0.0.1:${site.port}/cases/maks-bokayev?lang=ru`],
      ["search API /api/v1/cases?q=Боқаев", `http://127.0.0.1:${site.port}/api/v1/cases?q=${encodeURIComponent("Боқаев")}`],
      ["search API, several (Khrapunov)", `http://127.0.0.1:${site.port}/api/v1/cases?q=Khrapunov`],
    ];
    // Warm both servers (JIT, caches) before anything is counted.
    for (const [, url] of targets) await measure(url, 1);
    const rows: Row[] = [];
    for (const [name, url] of targets) {
      const r = await measure(url, seconds);
      rows.push({ name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
    }
    console.log(`16 connections, ${seconds} s each, loopback, server and load generator in one process`);
    console.log("target                               req/s     p50 ms   p99 ms   errors");
    for (const r of rows) {
      console.log(`${r.name.padEnd(36)} ${r.rps.toFixed(0).padStart(7)}   ${r.p50.toFixed(1).padStart(6)}   ${r.p99.toFixed(1).padStart(6)}   ${r.errors}`);
    }
    const ratio = rows[1]!.rps / rows[0]!.rps;
    console.log(`case page / bare route throughput: ${ratio.toFixed(2)}`);
    console.log(`target (case page at least ${TARGET_RATIO} of the bare route): ${ratio >= TARGET_RATIO ? "met" : "missed"}`);
  } finally {
    for (const s of servers) await s.close();
    await db.destroy();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchWeb().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

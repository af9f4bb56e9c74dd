/**
 * The servers `bench/open-data.ts` measures, in a process of their own so that the load generator does
 * not share their event loop: a bare Hono "hello" route (the framework's floor) and the real web app
 * over a seeded SQLite file with a few approved updates. Prints {"bare": port, "web": port} and runs
 * until its parent closes stdin.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { createI18n } from "../src/i18n.js";
import { createLogger } from "../src/logger.js";
import { CaseService } from "../src/services/cases.js";
import { ModerationService } from "../src/services/moderation.js";
import { RoleService } from "../src/services/roles.js";
import { openSqlite } from "../src/store/db.js";
import { migrateToLatest } from "../src/store/migrate.js";
import { applySeed } from "../src/store/seed.js";
import { createWebApp } from "../src/web/app.js";
import { startWebServer } from "../src/web/server.js";
import { webServices } from "../src/wiring.js";

const dir = mkdtempSync(join(tmpdir(), "casebot-bench-web-"));
const db = openSqlite(join(dir, "bench.sqlite"));
await migrateToLatest(db);
await applySeed(db);
const cases = new CaseService(db);
await cases.refresh();

// Some approved updates, so that the exports and feeds carry a timeline beyond the report's.
const MODERATOR = 900_000_001;
await new RoleService(db).syncAdmins([MODERATOR]);
const moderation = new ModerationService(db, cases);
for (const [i, c] of cases.all().slice(0, 10).entries()) {
  const sub = await moderation.submit({ caseSlug: c.slug, authorId: 800_000_000 + i, authorLang: "en", text: `Bench update ${i}: the hearing was postponed.`, sourceUrl: null });
  if (sub.ok) await moderation.approve(sub.id, MODERATOR, { type: "hearing" });
}

const bare = new Hono();
bare.get("/", (c) => c.text("hello"));
// For the bench only: this process's CPU time in µs (user + system), read before and after each run, so
// that the CPU a request costs the server is known even when other work shares the machine.
bare.get("/_cpu", (c) => {
  const u = process.cpuUsage();
  return c.json({ micros: u.user + u.system });
});

const web = createWebApp({
  services: webServices({ db, cases }),
  i18n: await createI18n(),
  logger: createLogger("silent"),
  publicUrl: "http://127.0.0.1",
  botToken: "123456:bench",
  health: async () => ({ ok: true, checks: {} }),
  // One address sends every request here: the per-address limits would measure only 429s.
  limits: { api: { limit: 1e9, windowMs: 60_000 }, search: { limit: 1e9, windowMs: 60_000 } },
});

// The bare route again, sending the bytes of the case page the bench asks for: what moving those bytes
// costs by itself, apart from everything the app does to make them.
const casePage = new Uint8Array(await (await web.request("/cases/maks-bokayev?lang=ru", { headers: { "accept-language": "ru" } })).arrayBuffer());
bare.get("/same-bytes", (c) => c.body(casePage, 200, { "Content-Type": "text/html; charset=UTF-8" }));

const servers = [await startWebServer(bare, 0, "127.0.0.1"), await startWebServer(web, 0, "127.0.0.1")];
process.stdout.write(`${JSON.stringify({ bare: servers[0]!.port, web: servers[1]!.port })}\n`);

const stop = async () => {
  for (const s of servers) await s.close();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.on("end", () => void stop());
process.stdin.on("close", () => void stop());
process.stdin.resume();
process.on("SIGTERM", () => void stop());

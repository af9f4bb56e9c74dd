import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DB, openSqlite } from "../../src/store/db.js";
import { insertUpdateEvent, setEventTranslation } from "../../src/store/events.js";
import { CASES_REVISION, getMeta } from "../../src/store/meta.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import {
  EXPORT_FORMAT,
  exportPublicData,
  importPublicData,
  parseExport,
  type PublicData,
  PublicDataError,
} from "../../src/store/public-data.js";
import { applySeed, SEED_FILE } from "../../src/store/seed.js";
import { DATABASES, type DatabaseKind, seededDatabase, type TestDatabase } from "../helpers/databases.js";
import { ROOT } from "../helpers/process.js";

const seed = JSON.parse(readFileSync(SEED_FILE, "utf8")) as {
  cases: Array<{ slug: string; aliases?: string[]; events?: unknown[] }>;
};
const SEED_EVENTS = seed.cases.reduce((n, c) => n + (c.events?.length ?? 0), 0);
const SLUG = seed.cases[0]!.slug;

/** What must survive a round trip: everything but the export time and the database's own ids. */
function comparable(data: PublicData) {
  return { sources: data.sources, cases: data.cases, events: data.events.map(({ id: _id, ...rest }) => rest) };
}

const TABLES = ["sources", "cases", "case_aliases", "case_events", "users", "subscriptions", "submissions", "audit_log", "meta"] as const;
async function counts(db: DB): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function addUpdate(db: DB): Promise<number> {
  const id = await insertUpdateEvent(
    db,
    {
      caseSlug: SLUG,
      date: "2026-11-20",
      lang: "ru",
      text: "Суд отклонил апелляцию.",
      sourceUrl: "https://example.org/news/1",
      type: "verdict",
      statusFrom: null,
      statusTo: null,
      hearingDate: null,
    },
    "2026-11-20T10:00:00.000Z",
  );
  await setEventTranslation(db, id, "en", "The court rejected the appeal.");
  await setEventTranslation(db, id, "kk", "Сот апелляцияны қабылдамады.");
  return id;
}

async function addPrivateRows(db: DB): Promise<void> {
  const now = "2026-11-21T00:00:00.000Z";
  await db.insertInto("users").values({ telegram_id: 987654321012, language: "ru", role: "reader", created_at: now }).execute();
  await db.insertInto("subscriptions").values({ user_id: 987654321012, case_slug: SLUG, created_at: now }).execute();
  await db
    .insertInto("submissions")
    .values({
      case_slug: SLUG,
      author_id: 987654321012,
      text: "PRIVATE-SUBMISSION-TEXT",
      source_url: null,
      lang: "ru",
      created_at: now,
      decided_by: null,
      decided_at: null,
      reason: null,
      event_id: null,
    })
    .execute();
  await db.insertInto("audit_log").values({ actor_id: 987654321012, action: "approve", target: "PRIVATE-AUDIT", detail: null, created_at: now }).execute();
  await db.insertInto("conversation_state").values({ key: "PRIVATE-CONV", value: "{}", updated_at: now }).execute();
}

async function fresh(kind: DatabaseKind): Promise<TestDatabase> {
  const t = await kind.open();
  await migrateToLatest(t.db);
  return t;
}

describe.each(DATABASES)("public data export/import on $name", (kind) => {
  let src: TestDatabase;
  const others: TestDatabase[] = [];
  beforeEach(async () => {
    src = await seededDatabase(kind);
  });
  afterEach(async () => {
    await src.cleanup();
    for (const t of others.splice(0)) await t.cleanup();
  });
  const another = async (seeded = false) => {
    const t = seeded ? await seededDatabase(kind) : await fresh(kind);
    others.push(t);
    return t.db;
  };

  it("exports the 37 cases with aliases, the report's source and events, and nothing about users", async () => {
    await addPrivateRows(src.db);
    const data = await exportPublicData(src.db);
    expect(Object.keys(data).sort()).toEqual(["cases", "events", "exported_at", "format", "sources", "version"]);
    expect(data.format).toBe(EXPORT_FORMAT);
    expect(data.version).toBe(1);
    expect(Number.isNaN(Date.parse(data.exported_at))).toBe(false);
    expect(data.sources).toHaveLength(1);
    expect(data.cases).toHaveLength(37);
    expect(data.cases.map((c) => c.slug)).toEqual(seed.cases.map((c) => c.slug).sort());
    for (const c of seed.cases) {
      expect(data.cases.find((x) => x.slug === c.slug)!.aliases.sort()).toEqual([...(c.aliases ?? [])].sort());
    }
    expect(data.cases.reduce((n, c) => n + c.aliases.length, 0)).toBeGreaterThan(0);
    expect(data.events).toHaveLength(SEED_EVENTS);
    for (const e of data.events) {
      expect(e.origin).toBe("report");
      expect(e.seed_key).toMatch(/\S/);
      for (const text of [e.text_en, e.text_ru, e.text_kk]) expect(text).toMatch(/\S/);
    }
    const text = JSON.stringify(data);
    for (const secret of ["987654321012", "PRIVATE-SUBMISSION-TEXT", "PRIVATE-AUDIT", "PRIVATE-CONV", "seed_hash", "telegram_id"]) {
      expect(text).not.toContain(secret);
    }
    // Deterministic: cases by slug, events by (case_slug, id).
    const again = await exportPublicData(src.db, data.exported_at);
    expect(again).toEqual(data);
  });

  it("exports an approved update with all its translations", async () => {
    const id = await addUpdate(src.db);
    const data = await exportPublicData(src.db);
    expect(data.events).toHaveLength(SEED_EVENTS + 1);
    expect(data.events.find((e) => e.id === id)).toEqual({
      id,
      case_slug: SLUG,
      event_date: "2026-11-20",
      origin: "update",
      seed_key: null,
      original_lang: "ru",
      text_en: "The court rejected the appeal.",
      text_ru: "Суд отклонил апелляцию.",
      text_kk: "Сот апелляцияны қабылдамады.",
      source_url: "https://example.org/news/1",
      update_type: "verdict",
      status_from: null,
      status_to: null,
      hearing_date: null,
      created_at: "2026-11-20T10:00:00.000Z",
    });
  });

  it("round-trips: export, import into a fresh database, export again gives the same cases and events", async () => {
    await addUpdate(src.db);
    await addPrivateRows(src.db);
    const first = await exportPublicData(src.db);
    const target = await another();
    // Through JSON text, as the tools do.
    const summary = await importPublicData(target, parseExport(JSON.stringify(first)));
    expect(summary.cases).toEqual({ inserted: 37, updated: 0, unchanged: 0 });
    expect(summary.events).toEqual({ inserted: SEED_EVENTS + 1, updated: 0, unchanged: 0 });
    const second = await exportPublicData(target);
    expect(comparable(second)).toEqual(comparable(first));
    const c = await counts(target);
    expect([c["users"], c["subscriptions"], c["submissions"], c["audit_log"]]).toEqual([0, 0, 0, 0]);
  });

  it("imports into a database seeded at another time: report events matched by seed_key, not duplicated", async () => {
    await addUpdate(src.db);
    const first = await exportPublicData(src.db);
    const target = await another(true);
    const summary = await importPublicData(target, first);
    expect(summary.events.inserted).toBe(1); // only the update
    expect(summary.events.updated + summary.events.unchanged).toBe(SEED_EVENTS);
    expect(comparable(await exportPublicData(target))).toEqual(comparable(first));
  });

  it("is idempotent: a second import writes nothing and keeps the row counts", async () => {
    await addUpdate(src.db);
    const data = await exportPublicData(src.db);
    const target = await another();
    const s1 = await importPublicData(target, data);
    expect(s1.changed).toBe(true);
    const after1 = await counts(target);
    const revision = await getMeta(target, CASES_REVISION);
    expect(revision).toBeDefined();
    const s2 = await importPublicData(target, data, "2030-01-01T00:00:00.000Z");
    expect(s2).toMatchObject({
      changed: false,
      sources: { inserted: 0, updated: 0, unchanged: 1 },
      cases: { inserted: 0, updated: 0, unchanged: 37 },
      aliases: { replaced: 0 },
      events: { inserted: 0, updated: 0, unchanged: SEED_EVENTS + 1 },
    });
    expect(await counts(target)).toEqual(after1);
    expect(await getMeta(target, CASES_REVISION)).toBe(revision);
    // Importing a database's own export into itself changes nothing either.
    expect((await importPublicData(src.db, data)).changed).toBe(false);
  });

  it("updates changed rows in place: a new translation, a new alias list, a changed status", async () => {
    await addUpdate(src.db);
    const data = await exportPublicData(src.db);
    const target = await another();
    await importPublicData(target, data);
    const idsBefore = (await target.selectFrom("case_events").select("id").orderBy("id").execute()).map((r) => r.id);
    const changed = structuredClone(data);
    changed.cases[0]!.aliases = ["Another Alias"];
    changed.cases[1]!.status = "released_from_custody";
    changed.events.find((e) => e.origin === "update")!.text_en = "The appeal court rejected the appeal.";
    const s = await importPublicData(target, changed);
    expect(s).toMatchObject({ cases: { updated: 1 }, aliases: { replaced: 1 }, events: { updated: 1, inserted: 0 } });
    expect((await target.selectFrom("case_events").select("id").orderBy("id").execute()).map((r) => r.id)).toEqual(idsBefore);
    expect(comparable(await exportPublicData(target))).toEqual(comparable(changed));
  });

  it("refuses a malformed file and writes nothing", async () => {
    const good = await exportPublicData(src.db);
    const target = await another();
    const before = await counts(target);
    const broken: Array<[string, unknown, RegExp]> = [
      ["not JSON", "{ nope", /not JSON/],
      ["wrong format", { ...good, format: "something-else" }, /format/],
      ["future version", { ...good, version: 2 }, /version/],
      ["no cases", { ...good, cases: undefined }, /cases: expected an array/],
      ["case without name", { ...good, cases: good.cases.map((c, i) => (i === 5 ? { ...c, name_en: "" } : c)) }, /cases\[5\].*name_en/],
      ["unknown category", { ...good, cases: good.cases.map((c, i) => (i === 2 ? { ...c, category: "x" } : c)) }, /category/],
      ["event of an unknown case", { ...good, events: [...good.events, { ...good.events[0]!, seed_key: "k", case_slug: "nobody" }] }, /case_slug/],
      ["report event without seed_key", { ...good, events: [{ ...good.events[0]!, seed_key: null }] }, /seed_key/],
      ["duplicate slug", { ...good, cases: [...good.cases, good.cases[0]] }, /appears twice/],
    ];
    for (const [name, input, message] of broken) {
      expect(() => parseExport(input), name).toThrow(message);
      await expect(importPublicData(target, input), name).rejects.toBeInstanceOf(PublicDataError);
    }
    expect(await counts(target)).toEqual(before);
  });

  if (kind.name === "sqlite") {
    it("rolls the whole import back when the database refuses a row", async () => {
      await addUpdate(src.db);
      const data = await exportPublicData(src.db);
      const target = await another();
      await sql`CREATE TRIGGER refuse_update BEFORE INSERT ON case_events WHEN NEW.origin = 'update' BEGIN SELECT RAISE(ABORT, 'refused'); END`.execute(target);
      const before = await counts(target);
      await expect(importPublicData(target, data)).rejects.toThrow(/refused/);
      expect(await counts(target)).toEqual(before);
    });
  }
});

if (DATABASES.length > 1) {
  describe("moving between databases", () => {
    it("SQLite export imports into PostgreSQL and exports identically", async () => {
      const sqlite = await seededDatabase(DATABASES[0]!);
      const pg = await fresh(DATABASES[1]!);
      try {
        await addUpdate(sqlite.db);
        const data = await exportPublicData(sqlite.db);
        await importPublicData(pg.db, JSON.parse(JSON.stringify(data)));
        expect(comparable(await exportPublicData(pg.db))).toEqual(comparable(data));
      } finally {
        await sqlite.cleanup();
        await pg.cleanup();
      }
    });
  });
}

describe("npm run export / import (CLI)", () => {
  const dir = mkdtempSync(join(tmpdir(), "casebot-export-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // What `npm run export` / `npm run import` run (tsx), started by node itself: npx would add its
  // own start-up to each of the four processes.
  const run = (script: string, args: string[], databaseUrl: string) =>
    spawnSync(process.execPath, ["--import", "tsx", `src/tools/${script}.ts`, ...args], {
      cwd: ROOT,
      env: { PATH: process.env["PATH"], HOME: process.env["HOME"], DATABASE_URL: databaseUrl },
      encoding: "utf8",
      timeout: 30_000,
    });

  it("exports from one SQLite file and imports into another; bad input gives one line and exit 1", async () => {
    const from = join(dir, "from.sqlite");
    const to = join(dir, "to.sqlite");
    const file = join(dir, "export.json");
    const db = openSqlite(from);
    await migrateToLatest(db);
    await applySeed(db);
    await addUpdate(db);
    await db.destroy();

    const exportRun = run("export", [file], from);
    expect(exportRun.status, exportRun.stderr).toBe(0);
    const exported = parseExport(readFileSync(file, "utf8"));
    expect(exported.cases).toHaveLength(37);

    const imported = run("import", [file], to);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr.trim().split("\n")).toHaveLength(1);
    expect(imported.stderr).toMatch(/cases 37 \(37 new, 0 updated\).*events \d+ \(\d+ new/);

    const a = openSqlite(from);
    const b = openSqlite(to);
    try {
      expect(comparable(await exportPublicData(b))).toEqual(comparable(await exportPublicData(a)));
    } finally {
      await a.destroy();
      await b.destroy();
    }

    const badUrl = run("export", [], "mysql://somewhere/db");
    expect(badUrl.status).toBe(1);
    expect(badUrl.stderr.trim().split("\n")).toHaveLength(1);
    expect(badUrl.stderr).toMatch(/^DATABASE_URL: /);

    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...exported, version: 99 }));
    const untouched = join(dir, "untouched.sqlite");
    const refused = run("import", [bad], untouched);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/version.*nothing was written/);
    expect(existsSync(untouched)).toBe(false);
    // Four processes that each compile the tools: about 14 s on an idle machine, twice that or more
    // on a busy one.
  }, 90_000);
});

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderCard } from "../../src/bot/render/card.js";
import { createI18n } from "../../src/i18n.js";
import { CaseAdminService } from "../../src/services/case-admin.js";
import { CaseService } from "../../src/services/cases.js";
import { ModerationService } from "../../src/services/moderation.js";
import { RoleService } from "../../src/services/roles.js";
import { findCase } from "../../src/store/cases.js";
import { applySeed, SEED_FILE } from "../../src/store/seed.js";
import type { Logger } from "../../src/logger.js";
import { openCore } from "../../src/wiring.js";
import { DATABASES, seededDatabase, type TestDatabase } from "../helpers/databases.js";

const ADMIN = 1;
const MOD = 2;
const MOD2 = 3;

type Texts = { en: string; ru: string; kk: string };
type SeedJson = { cases: Array<{ slug: string; status: string; aliases: string[]; name: Texts & { kk_latn: string }; summary: Texts }> };

/** The seed file with a change, written to a temporary file: what a contributor's typo fix does. */
function changedSeed(change: (seed: SeedJson) => void): string {
  const seed = JSON.parse(readFileSync(SEED_FILE, "utf8")) as SeedJson;
  change(seed);
  const file = join(mkdtempSync(join(tmpdir(), "reseed-")), "cases.json");
  writeFileSync(file, JSON.stringify(seed));
  return file;
}

function seedCase(seed: SeedJson, slug: string) {
  const c = seed.cases.find((x) => x.slug === slug);
  if (!c) throw new Error(slug);
  return c;
}

describe.each(DATABASES)("reseeding keeps moderators' work on $name", (kind) => {
  let t: TestDatabase;
  let cases: CaseService;
  let admin: CaseAdminService;
  let moderation: ModerationService;
  let clock: Date;

  beforeEach(async () => {
    t = await seededDatabase(kind);
    cases = new CaseService(t.db);
    await cases.refresh();
    clock = new Date("2026-11-25T10:00:00.000Z");
    admin = new CaseAdminService(t.db, cases, () => clock);
    moderation = new ModerationService(t.db, cases);
    const roles = new RoleService(t.db);
    await roles.syncAdmins([ADMIN]);
    await roles.setRole(ADMIN, MOD, "moderator");
    await roles.setRole(ADMIN, MOD2, "moderator");
  });
  afterEach(() => t.cleanup());

  it("a status released by two moderators stays released when another person's summary gets a typo fix", async () => {
    const proposed = await admin.editField(MOD, "maks-bokayev", "status", "released", "https://example.org/released");
    expect(proposed.type).toBe("pending");
    if (proposed.type !== "pending") return;
    clock = new Date("2026-11-26T10:00:00.000Z");
    expect((await admin.confirm(proposed.revision.id, MOD2)).type).toBe("applied");
    const before = await findCase(t.db, "maks-bokayev");
    expect(before).toMatchObject({ status: "released", statusSource: "https://example.org/released" });

    const file = changedSeed((seed) => {
      const ayan = seedCase(seed, "talgat-ayan");
      ayan.summary.en = ayan.summary.en.replace("Talgat Ayan", "Talgat  Ayan");
    });
    const result = await applySeed(t.db, file, "2026-12-01T00:00:00.000Z");

    expect(result.applied).toBe(true);
    expect(result.changed).toEqual(["talgat-ayan summary_en"]);
    expect(result.kept).toEqual(["maks-bokayev status"]);
    const after = await findCase(t.db, "maks-bokayev");
    // Not "In prison — since 26 November 2026" with the release's source: the moderators' status stands.
    expect(after).toMatchObject({ status: "released", statusChangedAt: before?.statusChangedAt, statusSource: "https://example.org/released" });
    expect((await findCase(t.db, "talgat-ayan"))?.summary.en).toContain("Talgat  Ayan");
    // What a reader sees: the moderators' status with its date and source, not the seed's "In prison".
    const tr = (await createI18n()).t("en");
    const card = renderCard(tr, "en", after!).text;
    expect(card).toContain('<b>Status:</b> Released — <i>since 26 November 2026</i> (<a href="https://example.org/released">source</a>)');
    expect(card).not.toContain("In prison");
  });

  it("a summary, a name and aliases a moderator corrected are kept; the same fields of others follow the file", async () => {
    expect((await admin.editField(MOD, "aron-atabek", "summary_en", "A moderator's corrected summary of the report's words.", "typo")).type).toBe("applied");
    expect((await admin.editField(MOD, "aron-atabek", "name_kk", "Арон Атабек-ұлы", "https://example.org/spelling")).type).toBe("applied");
    expect((await admin.editField(MOD, "aron-atabek", "aliases", "Edigeyev\nAron Atabekov", "https://example.org/aliases")).type).toBe("applied");

    const file = changedSeed((seed) => {
      const atabek = seedCase(seed, "aron-atabek");
      atabek.summary.en = "The seed's new text.";
      atabek.name.kk = "Арон Атабек (seed)";
      atabek.aliases = ["Edigeev"];
      atabek.summary.ru = atabek.summary.ru + " ";
      seedCase(seed, "sanat-bukenov").aliases.push("Sanat Bukenoff");
    });
    const result = await applySeed(t.db, file, "2026-12-01T00:00:00.000Z");
    expect(result.kept.sort()).toEqual(["aron-atabek aliases", "aron-atabek name_kk", "aron-atabek summary_en"]);
    expect(result.changed.sort()).toEqual(["aron-atabek summary_ru", "sanat-bukenov aliases"]);

    const atabek = await findCase(t.db, "aron-atabek");
    expect(atabek?.summary.en).toBe("A moderator's corrected summary of the report's words.");
    expect(atabek?.names.kk).toBe("Арон Атабек-ұлы");
    expect(atabek?.aliases).toEqual(["Aron Atabekov", "Edigeyev"]);
    expect(atabek?.summary.ru?.endsWith(" ")).toBe(true);
    expect((await findCase(t.db, "sanat-bukenov"))?.aliases).toContain("Sanat Bukenoff");
  });

  it("a status set by an approved update is kept, and a change waiting for a second moderator is not overtaken", async () => {
    await t.db.updateTable("cases").set({ status: "released_from_custody", status_changed_at: "2026-11-20T00:00:00.000Z", status_source: "https://example.org/u" }).where("slug", "=", "talgat-ayan").execute();
    const pending = await admin.editField(MOD, "aset-matayev", "status", "released", "https://example.org/m");
    expect(pending.type).toBe("pending");
    // A moderator confirmed this one still true (/stale): the seed must not overtake it either.
    expect((await admin.reviewStatus(MOD, "igor-sichev", "imprisoned", "https://example.org/sichev")).type).toBe("reviewed");
    const file = changedSeed((seed) => {
      seedCase(seed, "talgat-ayan").status = "detained";
      seedCase(seed, "aset-matayev").status = "detained";
      seedCase(seed, "sanat-dosov").status = "detained";
      seedCase(seed, "igor-sichev").status = "detained";
    });
    const result = await applySeed(t.db, file, "2026-12-01T00:00:00.000Z");
    expect(result.kept.sort()).toEqual(["aset-matayev status", "igor-sichev status", "talgat-ayan status"]);
    expect((await findCase(t.db, "igor-sichev"))?.freshness).toMatchObject({ basis: "report", reviewSource: "https://example.org/sichev" });
    expect(result.changed).toEqual(["sanat-dosov status"]);
    expect((await findCase(t.db, "talgat-ayan"))?.status).toBe("released_from_custody");
    expect((await findCase(t.db, "aset-matayev"))?.status).toBe("imprisoned");
    // An untouched status follows the file and still reads "as of the report".
    expect(await findCase(t.db, "sanat-dosov")).toMatchObject({ status: "detained", statusChangedAt: null });
    if (pending.type === "pending") expect((await admin.confirm(pending.revision.id, MOD2)).type).toBe("applied");
  });

  it("adds new people and says so; an unchanged file is left alone", async () => {
    const file = changedSeed((seed) => {
      const copy = JSON.parse(JSON.stringify(seedCase(seed, "sanat-dosov"))) as SeedJson["cases"][number];
      copy.slug = "test-person";
      copy.name = { en: "Test Person", ru: "Тест Персон", kk: "Тест Персон", kk_latn: "Test Person" };
      copy.aliases = [];
      seed.cases.push(copy);
    });
    const result = await applySeed(t.db, file, "2026-12-01T00:00:00.000Z");
    expect(result).toMatchObject({ applied: true, added: ["test-person"], changed: [], kept: [] });
    expect((await applySeed(t.db, file)).applied).toBe(false);
  });

  it("a status change clears the last review: it confirmed the old status", async () => {
    expect((await admin.reviewStatus(MOD, "igor-sichev", "imprisoned", "https://example.org/sichev")).type).toBe("reviewed");
    expect((await findCase(t.db, "igor-sichev"))?.freshness.reviewedAt).toBe("2026-11-25T10:00:00.000Z");
    clock = new Date("2026-11-26T10:00:00.000Z");
    expect((await admin.editField(MOD, "igor-sichev", "status", "detained", "https://example.org/moved")).type).toBe("applied");
    expect((await findCase(t.db, "igor-sichev"))?.freshness).toMatchObject({
      basis: "changed",
      since: "2026-11-26T10:00:00.000Z",
      sinceSource: "https://example.org/moved",
      reviewedAt: null,
      confirmedAt: "2026-11-26T10:00:00.000Z",
    });
    expect((await admin.reviewStatus(MOD, "igor-sichev", "imprisoned", "https://example.org/old")).type).toBe("changed");
    expect((await admin.reviewStatus(MOD, "igor-sichev", "detained", "not a link")).type).toBe("invalid");
    expect((await admin.reviewStatus(501, "igor-sichev", "detained", "https://example.org/x")).type).toBe("forbidden");
  });

  it("/stale orders by when the status was last confirmed: the report's first (by name), then changes and reviews by date", async () => {
    expect((await admin.reviewStatus(MOD, "igor-sichev", "imprisoned", "https://example.org/sichev")).type).toBe("reviewed");
    clock = new Date("2026-11-24T10:00:00.000Z");
    expect((await admin.editField(MOD, "sanat-dosov", "status", "detained", "https://example.org/dosov")).type).toBe("applied");
    const page = await admin.staleCases(MOD, 0, 100);
    if (page === "forbidden") throw new Error("forbidden");
    const slugs = page.items.map((i) => i.slug);
    expect(page.total).toBe(37);
    expect(slugs.slice(0, 2)).toEqual(["alima-abdirova", "almat-zhumagulov"]);
    expect(slugs.slice(-2)).toEqual(["sanat-dosov", "igor-sichev"]);
    expect(await admin.staleCases(501, 0, 10)).toBe("forbidden");
  });
});

describe("the start-up log of a reseed", () => {
  it("says what the seed changed and which fields it left as moderators set them", async () => {
    const logged: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
    const logger: Logger = {
      debug: () => undefined,
      info: (msg, fields) => void logged.push({ msg, ...(fields ? { fields } : {}) }),
      warn: () => undefined,
      error: () => undefined,
      child: () => logger,
    };
    const database = { kind: "sqlite" as const, file: join(mkdtempSync(join(tmpdir(), "reseed-log-")), "bot.sqlite") };
    const first = await openCore({ database }, logger, { seed: true });
    try {
      const roles = new RoleService(first.db);
      await roles.syncAdmins([ADMIN]);
      await roles.setRole(ADMIN, MOD, "moderator");
      const edit = await new CaseAdminService(first.db, first.cases).editField(MOD, "maks-bokayev", "summary_en", "Maks Bokayev, a civic activist from Atyrau, was sentenced in 2016.", "https://example.org/summary");
      expect(edit.type).toBe("applied");
    } finally {
      await first.close();
    }
    const file = changedSeed((seed) => {
      const ayan = seedCase(seed, "talgat-ayan");
      ayan.summary.en = ayan.summary.en.replace("Talgat Ayan", "Talgat  Ayan");
      const bokayev = seedCase(seed, "maks-bokayev");
      bokayev.summary.en = `${bokayev.summary.en} `;
    });
    logged.length = 0;
    const second = await openCore({ database }, logger, { seed: true, seedFile: file });
    await second.close();
    const line = logged.find((l) => l.msg === "seed data loaded");
    expect(line?.fields).toMatchObject({ changed: ["talgat-ayan summary_en"], left_as_moderators_set_them: ["maks-bokayev summary_en"] });
  });
});

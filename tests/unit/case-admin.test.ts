import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkAliases, checkName } from "../../src/domain/rules.js";
import { generatedAliases, kazakhLatin, slugify } from "../../src/domain/spelling.js";
import { CaseAdminService, type NewCaseInput } from "../../src/services/case-admin.js";
import { RoleService } from "../../src/services/roles.js";
import { CaseService } from "../../src/services/cases.js";
import { ModerationService } from "../../src/services/moderation.js";
import { listAudit } from "../../src/store/audit.js";
import { CASES_REVISION, getMeta } from "../../src/store/meta.js";
import { DATABASES, seededDatabase, type TestDatabase } from "../helpers/databases.js";

const ADMIN = 1;
const MOD = 2;
const MOD2 = 3;
const READER = 501;

/** A made-up person: the tests never write about a real one. */
const NEW_CASE: NewCaseInput = {
  names: { en: "Arman Testov", ru: "Арман Тестов", kk: "Арман Тестов" },
  category: "political_prisoner",
  role: "journalist",
  status: "imprisoned",
  summary: { ru: "Вымышленный журналист, осуждён за публикации в тестовом наборе данных." },
  source: "https://example.org/testov",
};

describe("case administration helpers", () => {
  it("spells Kazakh names in the 2021 Latin alphabet as the report does", () => {
    expect(kazakhLatin("Макс Боқаев")).toBe("Maks Boqaev");
    expect(kazakhLatin("Игорь Сычев")).toBe("İgor Syçev");
    expect(kazakhLatin("Мұхтар Жәкішев")).toBe("Mūhtar Jäkışev");
    expect(kazakhLatin("Талғат Аян")).toBe("Talğat Aian");
  });

  it("makes slugs from the English name, short and callback-safe", () => {
    expect(slugify("Maks Bokayev")).toBe("maks-bokayev");
    expect(slugify("Jean-Luc O'Neil")).toBe("jean-luc-oneil");
    expect(slugify("Äset Mataev")).toBe("aset-mataev");
    expect(slugify(`${"Abcdefghij ".repeat(8)}`).length).toBeLessThanOrEqual(40);
  });

  it("checks names by script and aliases by count", () => {
    expect(checkName("name_en", "Арман Тестов")).toEqual({ ok: false, reason: "script" });
    expect(checkName("name_ru", "Arman Testov")).toEqual({ ok: false, reason: "script" });
    expect(checkName("name_ru", "  Арман   Тестов ")).toEqual({ ok: true, value: "Арман Тестов" });
    expect(checkName("name_en", "A")).toEqual({ ok: false, reason: "length" });
    expect(checkName("name_en", "<b>Arman</b>")).toEqual({ ok: false, reason: "characters" });
    expect(checkAliases("Testov A.\nArman Testoff\nTestov A.")).toEqual({ ok: true, value: "Arman Testoff\nTestov A." });
    expect(checkAliases("-")).toEqual({ ok: true, value: null });
    expect(checkAliases(Array.from({ length: 21 }, (_, i) => `Alias ${String.fromCharCode(97 + i)}`).join("\n"))).toEqual({ ok: false, reason: "too_many" });
  });

  it("generates aliases that add spellings, not repeats of the names", () => {
    expect(generatedAliases({ en: "Maks Bokayev", ru: "Макс Бокаев", kk: "Макс Боқаев", kkLatn: null })).toEqual(["Maks Bokaev", "Maks Boqaev"]);
    expect(generatedAliases({ en: "Arman Testov", ru: "Арман Тестов", kk: null, kkLatn: null })).toEqual([]);
  });
});

describe.each(DATABASES)("case administration on $name", (kind) => {
  let t: TestDatabase;
  let cases: CaseService;
  let admin: CaseAdminService;
  let moderation: ModerationService;
  let clock: Date;
  let roles: RoleService;

  beforeEach(async () => {
    t = await seededDatabase(kind);
    cases = new CaseService(t.db);
    await cases.refresh();
    clock = new Date("2026-11-25T10:00:00.000Z");
    admin = new CaseAdminService(t.db, cases, () => clock);
    moderation = new ModerationService(t.db, cases);
    roles = new RoleService(t.db);
    await roles.syncAdmins([ADMIN]);
    await roles.setRole(ADMIN, MOD, "moderator");
    await roles.setRole(ADMIN, MOD2, "moderator");
  });
  afterEach(() => t.cleanup());

  const tick = () => {
    clock = new Date(clock.getTime() + 60_000);
  };

  async function created(input: NewCaseInput = NEW_CASE, actor = MOD): Promise<{ slug: string; revisionId: number }> {
    const r = await admin.createCase(actor, input);
    if (r.type !== "created") throw new Error(`not created: ${JSON.stringify(r)}`);
    return r;
  }

  describe("a new case", () => {
    it("stays invisible until a different moderator confirms it; then /case finds it by its Cyrillic name", async () => {
      const { slug, revisionId } = await created();
      expect(slug).toBe("arman-testov");
      const row = await t.db.selectFrom("cases").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ visible: 0, origin: "moderators", source_id: null, added_source: "https://example.org/testov", name_kk_latn: "Arman Testov" });
      expect(row.created_at).toBe("2026-11-25T10:00:00.000Z");
      await cases.refresh();
      expect(cases.find("Арман Тестов").type).not.toBe("one");
      expect(cases.brief(slug)).toBeUndefined();
      expect((await cases.categoryCounts()).reduce((s, c) => s + c.count, 0)).toBe(37);

      const pending = await admin.pending(MOD2);
      expect(pending !== "forbidden" && pending.map((r) => [r.id, r.field, r.new_value, r.state, r.name_ru])).toEqual([
        [revisionId, "case", "created", "pending", "Арман Тестов"],
      ]);

      const same = await admin.confirm(revisionId, MOD);
      expect(same.type).toBe("same_moderator");
      expect(cases.brief(slug)).toBeUndefined();

      const revisionBefore = await getMeta(t.db, CASES_REVISION);
      tick();
      const ok = await admin.confirm(revisionId, MOD2);
      expect(ok.type).toBe("applied");
      expect(ok.type === "applied" && ok.revision).toMatchObject({ state: "applied", confirmed_by: MOD2, actor_id: MOD });
      expect(await getMeta(t.db, CASES_REVISION)).not.toBe(revisionBefore);
      const found = cases.find("Арман Тестов");
      expect(found.type === "one" && found.case.slug).toBe(slug);
      expect(cases.find("Тестов").type).toBe("one");
      const card = await cases.get(slug);
      expect(card).toMatchObject({ origin: "moderators", addedSource: "https://example.org/testov", category: "political_prisoner", status: "imprisoned" });
      expect(card?.summary).toEqual({ ru: NEW_CASE.summary.ru });

      // A second confirmation, or a discard after it, changes nothing.
      expect((await admin.confirm(revisionId, ADMIN)).type).toBe("already");
      expect((await admin.discard(revisionId, ADMIN)).type).toBe("already");
    });

    it("another process sees the confirmed case through the revision stamp", async () => {
      const other = new CaseService(t.db);
      await other.refresh();
      const { revisionId } = await created();
      await admin.confirm(revisionId, MOD2);
      expect(await other.refreshIfChanged()).toBe(true);
      expect(other.find("Арман Тестов").type).toBe("one");
    });

    it("gets a unique slug, and a discarded draft is deleted", async () => {
      const first = await created();
      const second = await created({ ...NEW_CASE, names: { en: "Arman Testov", ru: "Арман Тестов" } }, MOD2);
      expect(second.slug).toBe("arman-testov-2");
      const d = await admin.discard(first.revisionId, MOD2);
      expect(d.type === "discarded" && d.caseRemoved).toBe(true);
      expect(await t.db.selectFrom("cases").select("slug").where("slug", "=", first.slug).executeTakeFirst()).toBeUndefined();
      expect((await listAudit(t.db, 5)).map((a) => a.action)).toContain("case_discard");
      expect((await admin.confirm(second.revisionId, MOD)).type).toBe("applied");
    });

    it("two moderators at once: two slugs, and one confirmation applies", async () => {
      const [a, b] = await Promise.all([admin.createCase(MOD, NEW_CASE), admin.createCase(MOD2, NEW_CASE)]);
      const slugs = [a, b].map((r) => (r.type === "created" ? r.slug : r.type)).sort();
      expect(slugs).toEqual(["arman-testov", "arman-testov-2"]);
      if (a.type !== "created") throw new Error(a.type);
      const results = await Promise.all([admin.confirm(a.revisionId, MOD2), admin.confirm(a.revisionId, ADMIN)]);
      expect(results.map((r) => r.type).sort()).toEqual(["already", "applied"]);
    });

    it("refuses invalid input with the field to fix", async () => {
      expect(await admin.createCase(MOD, { ...NEW_CASE, source: "example.org/x" })).toEqual({ type: "invalid", field: "source", reason: "url" });
      expect(await admin.createCase(MOD, { ...NEW_CASE, source: "ftp://example.org/x" })).toMatchObject({ type: "invalid", field: "source" });
      expect(await admin.createCase(MOD, { ...NEW_CASE, summary: {} })).toMatchObject({ type: "invalid", field: "summary" });
      expect(await admin.createCase(MOD, { ...NEW_CASE, summary: { en: "short" } })).toMatchObject({ type: "invalid", field: "summary", reason: "length" });
      expect(await admin.createCase(MOD, { ...NEW_CASE, category: "nope" })).toMatchObject({ type: "invalid", field: "category" });
      expect(await admin.createCase(MOD, { ...NEW_CASE, role: "spy" })).toMatchObject({ type: "invalid", field: "role" });
      expect(await admin.createCase(MOD, { ...NEW_CASE, status: "free" })).toMatchObject({ type: "invalid", field: "status" });
      expect(await admin.createCase(MOD, { ...NEW_CASE, names: { en: "Арман", ru: "Арман Тестов" } })).toMatchObject({ type: "invalid", field: "name_en" });
      expect(await t.db.selectFrom("cases").select("slug").where("origin", "=", "moderators").execute()).toEqual([]);
    });
  });

  describe("editing a field", () => {
    it("records old, new, source, actor and time, and changes the card at once", async () => {
      const before = await cases.get("maks-bokayev");
      expect(before?.role).toBe("civil_activist");
      tick();
      const r = await admin.editField(MOD, "maks-bokayev", "role", "journalist", "https://example.org/role");
      expect(r.type).toBe("applied");
      expect(r.type === "applied" && r.revision).toMatchObject({
        case_slug: "maks-bokayev",
        field: "role",
        old_value: "civil_activist",
        new_value: "journalist",
        source: "https://example.org/role",
        actor_id: MOD,
        created_at: "2026-11-25T10:01:00.000Z",
        state: "applied",
        confirmed_by: null,
      });
      expect((await cases.get("maks-bokayev"))?.role).toBe("journalist");

      const summary = await admin.editField(MOD2, "maks-bokayev", "summary_kk", "Жаңа қазақша сипаттама, тест үшін жазылған.", "translation");
      expect(summary.type).toBe("applied");
      expect((await cases.get("maks-bokayev"))?.summary.kk).toBe("Жаңа қазақша сипаттама, тест үшін жазылған.");

      const history = await admin.history(MOD, "maks-bokayev");
      expect(history !== "forbidden" && history.map((h) => h.field)).toEqual(["summary_kk", "role"]);
    });

    it("a non-sensitive status change applies at once and records its source on the case", async () => {
      const r = await admin.editField(MOD, "maks-bokayev", "status", "detained", "https://example.org/detained");
      expect(r.type).toBe("applied");
      const card = await cases.get("maks-bokayev");
      expect(card).toMatchObject({ status: "detained", statusSource: "https://example.org/detained", statusChangedAt: "2026-11-25T10:00:00.000Z" });
      expect(cases.brief("maks-bokayev")?.status).toBe("detained");
    });

    it("names and aliases are searchable at once", async () => {
      expect((await admin.editField(MOD, "maks-bokayev", "name_ru", "Максим Бокаев", "https://example.org/name")).type).toBe("applied");
      const byName = cases.find("Максим Бокаев");
      expect(byName.type === "one" && byName.case.slug).toBe("maks-bokayev");
      expect((await admin.editField(MOD, "maks-bokayev", "aliases", "Maksat Bokaiuly\nMax Bokayev", "source")).type).toBe("applied");
      const byAlias = cases.find("Bokaiuly");
      expect(byAlias.type === "one" && byAlias.case.slug).toBe("maks-bokayev");
      expect((await cases.get("maks-bokayev"))?.aliases).toEqual(["Maksat Bokaiuly", "Max Bokayev"]);
    });

    it("validates the value and requires a source or reason", async () => {
      expect(await admin.editField(MOD, "maks-bokayev", "status", "free", "x")).toMatchObject({ type: "invalid", field: "value" });
      expect(await admin.editField(MOD, "maks-bokayev", "category", "nope", "x")).toMatchObject({ type: "invalid", field: "value" });
      expect(await admin.editField(MOD, "maks-bokayev", "role", "spy", "x")).toMatchObject({ type: "invalid", field: "value" });
      expect(await admin.editField(MOD, "maks-bokayev", "name_en", "M", "x")).toMatchObject({ type: "invalid", field: "value", reason: "length" });
      expect(await admin.editField(MOD, "maks-bokayev", "name_en", "M".repeat(101), "x")).toMatchObject({ type: "invalid", field: "value" });
      expect(await admin.editField(MOD, "maks-bokayev", "summary_en", "too short", "x")).toMatchObject({ type: "invalid", field: "value" });
      expect(await admin.editField(MOD, "maks-bokayev", "summary_en", "x".repeat(2001), "x")).toMatchObject({ type: "invalid", field: "value" });
      expect(await admin.editField(MOD, "maks-bokayev", "slug", "other", "x")).toMatchObject({ type: "invalid", field: "field" });
      expect(await admin.editField(MOD, "maks-bokayev", "role", "journalist", "   ")).toMatchObject({ type: "invalid", field: "source", reason: "empty" });
      expect(await admin.editField(MOD, "maks-bokayev", "role", "journalist", "s".repeat(501))).toMatchObject({ type: "invalid", field: "source", reason: "length" });
      expect(await admin.editField(MOD, "nobody-at-all", "role", "journalist", "x")).toEqual({ type: "not_found" });
      expect(await admin.editField(MOD, "maks-bokayev", "role", "civil_activist", "x")).toEqual({ type: "unchanged" });
      const history = await admin.history(MOD, "maks-bokayev");
      expect(history).toEqual([]);
    });

    it("cannot edit a new case before it is confirmed", async () => {
      const { slug } = await created();
      expect(await admin.editField(MOD, slug, "role", "blogger", "x")).toEqual({ type: "not_found" });
    });
  });

  describe("sensitive statuses", () => {
    it.each(["released", "deceased"])("%s waits for a second moderator", async (status) => {
      const r = await admin.editField(MOD, "maks-bokayev", "status", status, "https://example.org/news");
      expect(r.type).toBe("pending");
      expect((await cases.get("maks-bokayev"))?.status).toBe("imprisoned");
      if (r.type !== "pending") return;
      expect((await admin.confirm(r.revision.id, MOD)).type).toBe("same_moderator");
      expect((await cases.get("maks-bokayev"))?.status).toBe("imprisoned");
      expect((await admin.confirm(r.revision.id, READER)).type).toBe("forbidden");
      const ok = await admin.confirm(r.revision.id, MOD2);
      expect(ok.type).toBe("applied");
      const card = await cases.get("maks-bokayev");
      expect(card).toMatchObject({ status, statusSource: "https://example.org/news" });
      expect(cases.brief("maks-bokayev")?.status).toBe(status);
    });

    it("a pending change whose field changed meanwhile is not applied over the newer value", async () => {
      const r = await admin.editField(MOD, "maks-bokayev", "status", "released", "https://example.org/released");
      expect(r.type).toBe("pending");
      expect((await admin.editField(MOD2, "maks-bokayev", "status", "detained", "https://example.org/detained")).type).toBe("applied");
      if (r.type !== "pending") return;
      const stale = await admin.confirm(r.revision.id, ADMIN);
      expect(stale.type).toBe("stale");
      expect(stale.type === "stale" && stale.revision.state).toBe("discarded");
      expect((await cases.get("maks-bokayev"))?.status).toBe("detained");
    });

    it("a pending change can be discarded, and then not confirmed", async () => {
      const r = await admin.editField(MOD, "maks-bokayev", "status", "deceased", "https://example.org/x");
      if (r.type !== "pending") throw new Error(r.type);
      const d = await admin.discard(r.revision.id, MOD2);
      expect(d.type === "discarded" && d.caseRemoved).toBe(false);
      expect((await admin.confirm(r.revision.id, ADMIN)).type).toBe("already");
      expect((await cases.get("maks-bokayev"))?.status).toBe("imprisoned");
      expect(await admin.pending(MOD)).toEqual([]);
    });
  });

  describe("revert", () => {
    it("admins only; pending until a second moderator confirms; then the old value is back and the original marked reverted", async () => {
      const edit = await admin.editField(MOD, "maks-bokayev", "category", "abroad", "https://example.org/moved");
      if (edit.type !== "applied") throw new Error(edit.type);
      expect((await cases.get("maks-bokayev"))?.category).toBe("abroad");

      expect((await admin.revert(MOD, edit.revision.id)).type).toBe("forbidden");
      expect((await admin.revert(READER, edit.revision.id)).type).toBe("forbidden");
      const revert = await admin.revert(ADMIN, edit.revision.id, "wrong person");
      expect(revert.type).toBe("pending");
      if (revert.type !== "pending") return;
      expect(revert.revision).toMatchObject({ field: "category", old_value: "abroad", new_value: "political_prisoner", reverts: edit.revision.id, state: "pending", source: "wrong person", actor_id: ADMIN });
      expect((await cases.get("maks-bokayev"))?.category).toBe("abroad");
      expect((await admin.revert(ADMIN, edit.revision.id)).type).toBe("already_pending");

      expect((await admin.confirm(revert.revision.id, ADMIN)).type).toBe("same_moderator");
      expect((await admin.confirm(revert.revision.id, MOD2)).type).toBe("applied");
      expect((await cases.get("maks-bokayev"))?.category).toBe("political_prisoner");
      expect(cases.brief("maks-bokayev")?.category).toBe("political_prisoner");
      const history = await admin.history(MOD, "maks-bokayev");
      expect(history !== "forbidden" && history.map((h) => [h.id, h.state])).toEqual([
        [revert.revision.id, "applied"],
        [edit.revision.id, "reverted"],
      ]);
      expect((await admin.revert(ADMIN, edit.revision.id)).type).toBe("not_applied");
    });

    it("a reverted status gets back the date and source it had, or the report's", async () => {
      tick();
      const detained = await admin.editField(MOD, "maks-bokayev", "status", "detained", "https://example.org/detained");
      if (detained.type !== "applied") throw new Error(detained.type);
      tick();
      const released = await admin.editField(MOD, "maks-bokayev", "status", "released", "https://example.org/released");
      if (released.type !== "pending") throw new Error(released.type);
      tick();
      await admin.confirm(released.revision.id, MOD2);
      expect(await cases.get("maks-bokayev")).toMatchObject({ status: "released", statusChangedAt: "2026-11-25T10:03:00.000Z", statusSource: "https://example.org/released" });
      tick();
      const back = await admin.revert(ADMIN, released.revision.id, "the release was misreported");
      if (back.type !== "pending") throw new Error(back.type);
      await admin.confirm(back.revision.id, MOD);
      expect(await cases.get("maks-bokayev")).toMatchObject({ status: "detained", statusChangedAt: "2026-11-25T10:01:00.000Z", statusSource: "https://example.org/detained" });
      const toReport = await admin.revert(ADMIN, detained.revision.id);
      if (toReport.type !== "pending") throw new Error(toReport.type);
      await admin.confirm(toReport.revision.id, MOD2);
      expect(await cases.get("maks-bokayev")).toMatchObject({ status: "imprisoned", statusChangedAt: null, statusSource: null });
      // A status set by an approved update is restored with that update's date and link.
      const modClock = new ModerationService(t.db, cases, () => clock);
      const sub = await modClock.submit({ caseSlug: "maks-bokayev", authorId: 900, authorLang: "en", text: "He was taken into pre-trial detention again.", sourceUrl: "https://example.org/update" });
      if (!sub.ok) throw new Error(sub.reason);
      tick();
      expect((await modClock.approve(sub.id, MOD, { type: "detention", newStatus: "pretrial_detention" })).type).toBe("approved");
      const approvedAt = clock.toISOString();
      tick();
      const corrected = await admin.editField(MOD, "maks-bokayev", "status", "detained", "https://example.org/correction");
      if (corrected.type !== "applied") throw new Error(corrected.type);
      const undo = await admin.revert(ADMIN, corrected.revision.id);
      if (undo.type !== "pending") throw new Error(undo.type);
      await admin.confirm(undo.revision.id, MOD2);
      expect(await cases.get("maks-bokayev")).toMatchObject({ status: "pretrial_detention", statusChangedAt: approvedAt, statusSource: "https://example.org/update" });
      // A reason that is not a link stays in the history, not on the card.
      await admin.editField(MOD, "maks-bokayev", "status", "detained", "moderators' phone call with the lawyer");
      expect(await cases.get("maks-bokayev")).toMatchObject({ status: "detained", statusSource: null });
    });

    it("refuses to revert over a later change, and reverts an added case by hiding it", async () => {
      const first = await admin.editField(MOD, "maks-bokayev", "name_kk_latn", "Maks Boqaiev", "typo");
      const second = await admin.editField(MOD, "maks-bokayev", "name_kk_latn", "Maks Bokaev", "typo again");
      if (first.type !== "applied" || second.type !== "applied") throw new Error("edits");
      expect((await admin.revert(ADMIN, first.revision.id)).type).toBe("stale");
      expect((await admin.revert(ADMIN, 999_999)).type).toBe("not_found");

      const { slug, revisionId } = await created();
      expect((await admin.revert(ADMIN, revisionId)).type).toBe("not_applied");
      await admin.confirm(revisionId, MOD2);
      const hide = await admin.revert(ADMIN, revisionId, "added by mistake");
      if (hide.type !== "pending") throw new Error(hide.type);
      expect((await admin.confirm(hide.revision.id, MOD)).type).toBe("applied");
      expect(cases.brief(slug)).toBeUndefined();
      expect(cases.find("Арман Тестов").type).not.toBe("one");
    });
  });

  describe("roles", () => {
    it("a reader is refused everywhere and nothing changes", async () => {
      const { revisionId } = await created();
      expect(await admin.createCase(READER, NEW_CASE)).toEqual({ type: "forbidden" });
      expect(await admin.editField(READER, "maks-bokayev", "role", "journalist", "x")).toEqual({ type: "forbidden" });
      expect(await admin.history(READER, "maks-bokayev")).toBe("forbidden");
      expect(await admin.pending(READER)).toBe("forbidden");
      expect(await admin.pendingCount(READER)).toBe("forbidden");
      expect(await admin.confirm(revisionId, READER)).toEqual({ type: "forbidden" });
      expect(await admin.discard(revisionId, READER)).toEqual({ type: "forbidden" });
      expect(await admin.revert(READER, revisionId)).toEqual({ type: "forbidden" });
      expect(await admin.missingTranslations(READER)).toBe("forbidden");
      expect(await admin.draft(READER, "arman-testov")).toBe("forbidden");
      expect(await admin.currentValue(READER, "maks-bokayev", "role")).toBe("forbidden");
      expect(await admin.revision(READER, revisionId)).toBe("forbidden");
      expect((await cases.get("maks-bokayev"))?.role).toBe("civil_activist");
      expect(await t.db.selectFrom("case_revisions").select("id").execute()).toHaveLength(1);
    });

    it("a demoted moderator is refused at once", async () => {
      await roles.setRole(ADMIN, MOD, "reader");
      expect(await admin.editField(MOD, "maks-bokayev", "role", "journalist", "x")).toEqual({ type: "forbidden" });
    });
  });

  describe("missing translations", () => {
    it("lists, case by case, the names and summaries missing in a language", async () => {
      await t.db.updateTable("cases").set({ summary_kk: null, name_kk: "" }).where("slug", "=", "maks-bokayev").execute();
      const missing = await admin.missingTranslations(MOD);
      if (missing === "forbidden") throw new Error("forbidden");
      const mine = missing.filter((m) => m.slug === "maks-bokayev").map((m) => m.field);
      expect(mine).toEqual(["name_kk", "summary_kk"]);
      expect(missing.every((m) => ["name_ru", "name_kk", "summary_en", "summary_ru", "summary_kk"].includes(m.field))).toBe(true);
      // A hidden case is not listed; its translations come once it is confirmed.
      const { revisionId } = await created({ ...NEW_CASE, names: { en: "Arman Testov", ru: "Арман Тестов" } });
      const before = await admin.missingTranslations(MOD);
      expect(before !== "forbidden" && before.some((m) => m.slug === "arman-testov")).toBe(false);
      await admin.confirm(revisionId, MOD2);
      const after = await admin.missingTranslations(MOD);
      expect(after !== "forbidden" && after.filter((m) => m.slug === "arman-testov").map((m) => m.field)).toEqual(["name_kk", "summary_en", "summary_kk"]);
      // Filling one in takes it off the list.
      await admin.editField(MOD, "maks-bokayev", "summary_kk", "Қазақша сипаттама, тест үшін жазылған.", "translation");
      const later = await admin.missingTranslations(MOD);
      expect(later !== "forbidden" && later.filter((m) => m.slug === "maks-bokayev").map((m) => m.field)).toEqual(["name_kk"]);
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { CaseService } from "../../src/services/cases.js";
import { detectTextLanguage, parseSourceUrl } from "../../src/domain/rules.js";
import { ModerationService } from "../../src/services/moderation.js";
import { RoleService } from "../../src/services/roles.js";
import type { Notice, SendOutcome } from "../../src/services/notifications/types.js";
import { OutboxWorker } from "../../src/services/notifications/worker.js";
import { SubscriptionService } from "../../src/services/subscriptions.js";
import { UserService } from "../../src/services/users.js";
import { claimDue, deliveryCounts } from "../../src/store/deliveries.js";
import { DATABASES, seededDatabase, type TestDatabase } from "../helpers/databases.js";

const ADMIN = 1;
const MOD = 2;
const silent = createLogger("silent");

describe.each(DATABASES)("services on $name", (kind) => {
  let t: TestDatabase;
  let cases: CaseService;
  let subs: SubscriptionService;
  let moderation: ModerationService;
  let users: UserService;
  let roles: RoleService;

  beforeEach(async () => {
    t = await seededDatabase(kind);
    cases = new CaseService(t.db);
    await cases.refresh();
    subs = new SubscriptionService(t.db, cases);
    moderation = new ModerationService(t.db, cases);
    users = new UserService(t.db, { alsoRemembering: [subs] });
    roles = new RoleService(t.db);
    await roles.syncAdmins([ADMIN]);
    await roles.setRole(ADMIN, MOD, "moderator");
  });
  afterEach(() => t.cleanup());

  async function followers(n: number, slug = "maks-bokayev", from = 10_000): Promise<number[]> {
    const ids = Array.from({ length: n }, (_, i) => from + i);
    for (const id of ids) await subs.subscribe(id, slug, "en");
    return ids;
  }

  async function submitted(text = "The court extended the detention again.", author = 900): Promise<number> {
    const r = await moderation.submit({ caseSlug: "maks-bokayev", authorId: author, authorLang: "ru", text, sourceUrl: "https://example.org/a" });
    if (!r.ok) throw new Error(r.reason);
    return r.id;
  }

  describe("cases", () => {
    it("finds, lists and counts the report's people", async () => {
      expect(cases.size).toBe(37);
      const one = cases.find("Боқаев");
      expect(one.type === "one" && one.case.slug).toBe("maks-bokayev");
      const many = cases.find("Khrapunov");
      expect(many.type === "many" && many.cases.map((c) => c.slug).sort()).toEqual(["ilyas-khrapunov", "leila-khrapunova", "viktor-khrapunov"]);
      const counts = await cases.categoryCounts();
      expect(counts.reduce((s, c) => s + c.count, 0)).toBe(37);
      const page = await cases.listCategory("political_prisoner", 2, 8);
      // The report's section "The Kazakhstani political prisoners": its 19 activists and journalists.
      expect(page).toMatchObject({ page: 2, pages: 3, total: 19 });
      expect(page.items).toHaveLength(3);
      const card = await cases.get("natalia-ulasik");
      expect(card?.events.map((e) => e.date)).toEqual(["2016-10"]);
      expect(card?.source?.asOf).toBe("2017-12");
    });

    it("a card read while a change lands is not kept: the next read shows the change", async () => {
      const changed = "Summary changed while the card was read.";
      await t.db.updateTable("cases").set({ summary_en: changed }).where("slug", "=", "maks-bokayev").execute();
      // The read of the case's row is made to return what it held before the change, and the change is
      // announced while the rest of the card is read: as when a moderator's change lands mid-read.
      let armed = false;
      const held: CaseService = new CaseService(
        t.db.withPlugin({
          transformQuery: (args) => args.node,
          transformResult: async (args) => {
            const row = args.result.rows[0] as { summary_en?: string | null } | undefined;
            if (armed && row?.summary_en === changed) {
              armed = false;
              row.summary_en = "Before the change.";
              held.invalidate("maks-bokayev");
            }
            return args.result;
          },
        }),
      );
      await held.refresh();
      armed = true;
      expect((await held.get("maks-bokayev"))?.summary?.en).toBe("Before the change.");
      expect((await held.get("maks-bokayev"))?.summary?.en).toBe(changed);
    });
  });

  describe("subscriptions", () => {
    it("subscribing twice is one subscription; unsubscribe and forget remove it", async () => {
      await subs.subscribe(42, "maks-bokayev", "kk");
      await subs.subscribe(42, "maks-bokayev", "kk");
      await subs.subscribe(42, "talgat-ayan", "kk");
      expect((await subs.list(42)).map((c) => c.slug)).toEqual(["maks-bokayev", "talgat-ayan"]);
      expect(await subs.isSubscribed(42, "maks-bokayev")).toBe(true);
      expect(await subs.unsubscribe(42, "maks-bokayev")).toBe(true);
      expect(await subs.isSubscribed(42, "maks-bokayev")).toBe(false);
      expect(await users.language(42, "en")).toBe("kk");
      await users.forget(42);
      expect(await subs.list(42)).toEqual([]);
      expect(await new UserService(t.db).language(42, "en")).toBe("en");
      expect(await subs.subscribe(42, "no-such-person", "en")).toBe(false);
    });

    it("a follower who blocked the bot is followed again once they write to it", async () => {
      await subs.subscribe(43, "maks-bokayev", "en");
      await t.db.updateTable("users").set({ active: 0 }).where("telegram_id", "=", 43).execute();
      await users.seen(43);
      const row = await t.db.selectFrom("users").select("active").where("telegram_id", "=", 43).executeTakeFirstOrThrow();
      expect(row.active).toBe(1);
    });
  });

  describe("submissions and moderation", () => {
    it("checks text length, links and the pending limit", async () => {
      const base = { caseSlug: "maks-bokayev", authorId: 901, authorLang: "en" as const, sourceUrl: null };
      expect(await moderation.submit({ ...base, text: "too short" })).toEqual({ ok: false, reason: "text_length" });
      expect(await moderation.submit({ ...base, text: "y".repeat(2001) })).toEqual({ ok: false, reason: "text_length" });
      expect(await moderation.submit({ ...base, text: "a long enough text", sourceUrl: "javascript:alert(1)" })).toEqual({ ok: false, reason: "bad_url" });
      for (let i = 0; i < 5; i++) expect((await moderation.submit({ ...base, text: `news number ${i}!` })).ok).toBe(true);
      expect(await moderation.submit({ ...base, text: "one too many" })).toEqual({ ok: false, reason: "limit" });
    });

    it("keeps the text exactly as written, in the language it was written in", async () => {
      const text = "  Сот <b>Боқаевтың</b> ісін қарады; 'quotes' & \"more\"  ";
      const id = (await moderation.submit({ caseSlug: "maks-bokayev", authorId: 902, authorLang: "en", text, sourceUrl: null })) as { ok: true; id: number };
      const row = await moderation.get(id.id);
      expect(row?.text).toBe(text);
      expect(row?.lang).toBe("kk");
      expect(detectTextLanguage("Суд продлил арест")).toBe("ru");
      expect(detectTextLanguage("The court extended")).toBe("en");
      expect(parseSourceUrl("https://t.me/x")).toBe("https://t.me/x");
      expect(parseSourceUrl("ftp://x.org")).toBeUndefined();
    });

    it("only staff decide; approval publishes once and queues one delivery per active follower", async () => {
      const fans = await followers(5);
      await t.db.updateTable("users").set({ active: 0 }).where("telegram_id", "=", fans[0]!).execute();
      const id = await submitted();
      expect(await moderation.approve(id, 12345)).toEqual({ type: "forbidden" });
      const r = await moderation.approve(id, MOD);
      expect(r.type).toBe("approved");
      if (r.type !== "approved") return;
      expect(r.followers).toBe(4);
      expect(await deliveryCounts(t.db, r.eventId)).toEqual({ pending: 4 });
      const again = await moderation.approve(id, ADMIN);
      expect(again.type === "already" && again.submission.decided_by).toBe(MOD);
      expect((await moderation.reject(id, ADMIN, "late")).type).toBe("already");
      const card = await cases.get("maks-bokayev");
      expect(card?.events.filter((e) => e.origin === "update").map((e) => e.text.ru ?? e.text.en)).toEqual(["The court extended the detention again."]);
    });

    it("two moderators approving at once publish exactly once", async () => {
      await followers(3);
      const id = await submitted();
      const results = await Promise.all([moderation.approve(id, MOD), moderation.approve(id, ADMIN)]);
      expect(results.map((r) => r.type).sort()).toEqual(["already", "approved"]);
      const events = await t.db.selectFrom("case_events").select("id").where("origin", "=", "update").execute();
      expect(events).toHaveLength(1);
      expect(await deliveryCounts(t.db, events[0]!.id)).toEqual({ pending: 3 });
    });

    it("rejects with a reason, keeps an audit trail, and lets only admins change roles", async () => {
      const id = await submitted();
      const r = await moderation.reject(id, MOD, "  No source confirms it. ");
      expect(r.type === "rejected" && r.submission.reason).toBe("No source confirms it.");
      expect(await roles.setRole(MOD, 77, "moderator")).toEqual({ type: "forbidden" });
      expect(await roles.roleOf(77)).toBe("reader");
      expect(await roles.setRole(ADMIN, 77, "moderator")).toEqual({ type: "done", role: "moderator" });
      expect(await roles.audit(MOD)).toBe("forbidden");
      const audit = await roles.audit(ADMIN);
      expect(audit !== "forbidden" && audit.map((a) => a.action)).toEqual(["promote", "reject", "promote"]);
    });

    it("adds translations of a published update, never over the original", async () => {
      const id = await submitted("Суд снова продлил срок содержания.");
      const r = await moderation.approve(id, MOD);
      if (r.type !== "approved") throw new Error(r.type);
      expect(await moderation.translate(MOD, r.eventId, "ru", "Другой текст для проверки")).toEqual({ ok: false, reason: "original" });
      expect(await moderation.translate(12345, r.eventId, "en", "The court extended it again")).toEqual({ ok: false, reason: "forbidden" });
      expect(await moderation.translate(MOD, r.eventId, "en", "The court extended it again")).toEqual({ ok: true, slug: "maks-bokayev" });
      const card = await cases.get("maks-bokayev");
      const update = card?.events.find((e) => e.origin === "update");
      expect(update?.text).toEqual({ en: "The court extended it again", ru: "Суд снова продлил срок содержания." });
      expect(update?.originalLang).toBe("ru");
    });
  });

  describe("notification outbox", () => {
    function recorder(outcome: (n: Notice, attempt: number) => SendOutcome = () => ({ kind: "sent" })) {
      const sent: Notice[] = [];
      const attempts = new Map<number, number>();
      const send = async (n: Notice): Promise<SendOutcome> => {
        const a = (attempts.get(n.userId) ?? 0) + 1;
        attempts.set(n.userId, a);
        const o = outcome(n, a);
        if (o.kind === "sent") sent.push(n);
        return o;
      };
      return { sent, send };
    }

    async function approvedUpdate(): Promise<number> {
      const r = await moderation.approve(await submitted(), MOD);
      if (r.type !== "approved") throw new Error(r.type);
      // These tests are about followers' notices: the messages to staff and the author are left out.
      await t.db.deleteFrom("deliveries").where("event_id", "is", null).execute();
      return r.eventId;
    }

    async function drain(worker: OutboxWorker, eventId: number, timeoutMs = 10_000): Promise<void> {
      worker.start();
      const t0 = Date.now();
      while (((await deliveryCounts(t.db, eventId))["pending"] ?? 0) > 0 && Date.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 20));
      await worker.stop();
    }

    it("delivers each notice once, in the follower's language, under the rate limit", async () => {
      await followers(20);
      await subs.subscribe(555, "maks-bokayev", "kk");
      const eventId = await approvedUpdate();
      const { sent, send } = recorder();
      const t0 = Date.now();
      await drain(new OutboxWorker(t.db, send, silent, { ratePerSecond: 100 }), eventId);
      const elapsed = Date.now() - t0;
      expect(sent).toHaveLength(21);
      expect(new Set(sent.map((n) => n.userId)).size).toBe(21);
      expect(sent.find((n) => n.userId === 555)?.lang).toBe("kk");
      expect(sent[0]?.text).toEqual({ en: "The court extended the detention again." });
      expect(elapsed).toBeGreaterThanOrEqual(190); // 21 sends at 100/s cannot take less than 0.2 s
      expect(await deliveryCounts(t.db, eventId)).toEqual({ sent: 21 });
    });

    it("marks a follower who blocked the bot inactive and does not retry; retries after 429 and transient errors", async () => {
      const fans = await followers(6);
      const eventId = await approvedUpdate();
      const { sent, send } = recorder((n, attempt) => {
        if (n.userId === fans[0]) return { kind: "blocked", error: "403" };
        if (n.userId === fans[1] && attempt === 1) return { kind: "rate_limited", retryAfterMs: 300, error: "429" };
        if (n.userId === fans[2] && attempt < 3) return { kind: "failed", error: "502", permanent: false };
        return { kind: "sent" };
      });
      await drain(new OutboxWorker(t.db, send, silent, { ratePerSecond: 200, retryBaseMs: 50 }), eventId);
      expect(sent.map((n) => n.userId).sort()).toEqual(fans.slice(1).sort());
      expect(await deliveryCounts(t.db, eventId)).toEqual({ sent: 5, blocked: 1 });
      const blocked = await t.db.selectFrom("users").select("active").where("telegram_id", "=", fans[0]!).executeTakeFirstOrThrow();
      expect(blocked.active).toBe(0);
    });

    it("resumes the work of a worker that died holding a lease", async () => {
      await followers(8);
      const eventId = await approvedUpdate();
      const stolen = await claimDue(t.db, Date.now(), 4, 300, "dead-worker"); // a worker claims four rows, then dies
      expect(stolen).toHaveLength(4);
      const { sent, send } = recorder();
      await drain(new OutboxWorker(t.db, send, silent, { ratePerSecond: 200, leaseMs: 300 }), eventId);
      expect(sent).toHaveLength(8);
      expect(new Set(sent.map((n) => n.userId)).size).toBe(8);
    });

    it("two workers on one database deliver each notice once", async () => {
      await followers(30);
      const eventId = await approvedUpdate();
      const a = recorder();
      const b = recorder();
      const w1 = new OutboxWorker(t.db, a.send, silent, { ratePerSecond: 200, batchSize: 5 });
      const w2 = new OutboxWorker(t.db, b.send, silent, { ratePerSecond: 200, batchSize: 5 });
      w1.start();
      await drain(w2, eventId);
      await w1.stop();
      const all = [...a.sent, ...b.sent].map((n) => n.userId);
      expect(all).toHaveLength(30);
      expect(new Set(all).size).toBe(30);
    });
  });
});

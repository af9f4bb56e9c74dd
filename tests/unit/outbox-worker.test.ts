import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { SendBudget } from "../../src/services/notifications/budget.js";
import type { Notice, SendOutcome } from "../../src/services/notifications/types.js";
import { OutboxWorker } from "../../src/services/notifications/worker.js";
import { claimDue, deliveryCounts, markSent, reschedule } from "../../src/store/deliveries.js";
import { DATABASES, seededDatabase, type TestDatabase } from "../helpers/databases.js";

/**
 * The outbox worker on a bad day: database errors in the middle of a batch, a send slower than the
 * lease with a second worker waiting to take the row, a 429, and a late write by a worker whose
 * lease was taken over. Each test fails on a worker that lacks the handling.
 */
const silent = createLogger("silent");
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe.each(DATABASES)("outbox worker on $name", (kind) => {
  let t: TestDatabase;
  const workers: OutboxWorker[] = [];

  beforeEach(async () => {
    t = await seededDatabase(kind);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    await t.cleanup();
  });

  /** One published update and a pending delivery of it to each of `n` followers. */
  async function deliveries(n: number, from = 50_000): Promise<{ eventId: number; users: number[] }> {
    const now = new Date().toISOString();
    const users = Array.from({ length: n }, (_, i) => from + i);
    await t.db.insertInto("users").values(users.map((id) => ({ telegram_id: id, language: "en", role: "reader", active: 1, created_at: now }))).execute();
    const eventId = await publishTo(users, "2026-12-01", "The court met again.");
    return { eventId, users };
  }

  /** A published update and a pending delivery of it to each of `users`. */
  async function publishTo(users: number[], date: string, text: string): Promise<number> {
    const now = new Date().toISOString();
    const event = await t.db
      .insertInto("case_events")
      .values({ case_slug: "maks-bokayev", event_date: date, origin: "update", seed_key: null, original_lang: "en", text_en: text, text_ru: null, text_kk: null, source_url: null, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("deliveries")
      .values(users.map((id) => ({ event_id: event.id, user_id: id, kind: "update", status: "pending", attempts: 0, next_attempt_at: 0, lease_until: null, last_error: null, created_at: now, sent_at: null })))
      .execute();
    return event.id;
  }

  function worker(send: (n: Notice) => Promise<SendOutcome>, opts: ConstructorParameters<typeof OutboxWorker>[3] = {}, budget?: SendBudget): OutboxWorker {
    const w = new OutboxWorker(t.db, send, silent, { ratePerSecond: 200, perChatGapMs: 0, idlePollMs: 50, errorBackoffMs: 50, ...opts }, budget ? { budget } : undefined);
    workers.push(w);
    return w;
  }

  async function until(pred: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
    const t0 = Date.now();
    while (!(await pred())) {
      if (Date.now() - t0 > timeoutMs) throw new Error("timed out");
      await sleep(20);
    }
  }
  const pending = async (eventId: number) => (await deliveryCounts(t.db, eventId).catch(() => ({ pending: -1 })))["pending"] ?? 0;

  it("keeps running through database errors while recording a send and releasing a batch, and delivers everything", async () => {
    const { eventId, users } = await deliveries(12);
    const got = new Map<number, number>();
    let broken = false;
    let away!: () => void;
    const gone = new Promise<void>((r) => (away = r));
    const w = worker(async (n) => {
      got.set(n.userId, (got.get(n.userId) ?? 0) + 1);
      if (got.size === 3 && !broken) {
        // The database goes away under the worker: recording this send, the rest of the batch and
        // the next claims all fail until it is back.
        broken = true;
        await sql`ALTER TABLE deliveries RENAME TO deliveries_away`.execute(t.db);
        away();
      }
      return { kind: "sent" };
    }, { leaseMs: 300 });
    w.start();
    await gone;
    // It is back only once the worker has failed more than once (however slow the machine is).
    await until(async () => w.health().consecutiveErrors > 1);
    expect(w.isRunning()).toBe(true);
    await sql`ALTER TABLE deliveries_away RENAME TO deliveries`.execute(t.db);
    await until(async () => (await pending(eventId)) === 0);
    expect(w.isRunning()).toBe(true);
    expect([...got.keys()].sort()).toEqual(users);
    // Only the send whose record was lost may have gone out twice.
    expect([...got.values()].filter((k) => k > 1).length).toBeLessThanOrEqual(1);
    expect(await deliveryCounts(t.db, eventId)).toEqual({ sent: 12 });
  });

  it("keeps running when the send itself throws, and says whether it runs", async () => {
    const { eventId } = await deliveries(3);
    let calls = 0;
    const w = worker(async () => {
      if (++calls === 1) throw new Error("a bug in rendering");
      return { kind: "sent" };
    }, { leaseMs: 200 });
    expect(w.isRunning()).toBe(false);
    w.start();
    await until(async () => (await pending(eventId)) === 0);
    expect(w.isRunning()).toBe(true);
    await w.stop();
    expect(w.isRunning()).toBe(false);
  });

  it("two workers and one send slower than the lease: the notice goes out once", async () => {
    const { eventId, users } = await deliveries(6);
    const sends: number[] = [];
    const slowUser = users[0]!;
    const send = async (n: Notice): Promise<SendOutcome> => {
      sends.push(n.userId);
      if (n.userId === slowUser) await sleep(3000); // three leases long
      return { kind: "sent" };
    };
    // A lease of 1 s renewed every 333 ms: a renewal may come 600 ms late on a busy machine and
    // still keep the row (with 300 ms, a loaded run lost it to the other worker and sent twice).
    const a = worker(send, { leaseMs: 1000, batchSize: 1 });
    a.start();
    await until(async () => sends.includes(slowUser));
    const b = worker(send, { leaseMs: 1000, batchSize: 1 });
    b.start();
    await until(async () => (await pending(eventId)) === 0);
    await sleep(300);
    expect(sends.filter((u) => u === slowUser)).toHaveLength(1);
    expect(new Set(sends).size).toBe(6);
    expect(sends).toHaveLength(6);
  });

  it("a late write by a worker whose lease was taken over changes nothing", async () => {
    const { eventId } = await deliveries(1);
    const [mine] = await claimDue(t.db, Date.now(), 1, 100, "worker-a");
    await sleep(150); // worker A stalls past its lease; worker B takes the row
    const [theirs] = await claimDue(t.db, Date.now(), 1, 10_000, "worker-b");
    expect(theirs?.id).toBe(mine!.id);
    expect(await markSent(t.db, mine!.id, "worker-a", new Date().toISOString())).toBe(false);
    expect(await reschedule(t.db, mine!.id, "worker-a", Date.now() + 60_000, "late", true)).toBe(false);
    const row = await t.db.selectFrom("deliveries").selectAll().where("id", "=", mine!.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", lease_token: "worker-b", attempts: 0 });
    expect(await markSent(t.db, mine!.id, "worker-b", new Date().toISOString())).toBe(true);
    expect(await deliveryCounts(t.db, eventId)).toEqual({ sent: 1 });
  });

  it("claims no rows while Telegram's 429 for the bot is waited out, then sends the rest", async () => {
    const { eventId } = await deliveries(10);
    const budget = new SendBudget({ slots: 200, windowMs: 1000, perChatGapMs: 0 });
    let limited = 0;
    const sentAt: number[] = [];
    const w = worker(async () => {
      // Two chats answered 429 in a row: the bot as a whole is over the limit.
      if (limited < 2) {
        limited++;
        return { kind: "rate_limited", retryAfterMs: 1200, error: "429" };
      }
      sentAt.push(Date.now());
      return { kind: "sent" };
    }, { leaseMs: 300, batchSize: 4 }, budget);
    const t0 = Date.now();
    w.start();
    await until(async () => limited === 2);
    // While paused, no row is held: none has a lease running.
    for (let i = 0; i < 8; i++) {
      await sleep(100);
      if (Date.now() - t0 > 1000) break;
      const leased = await t.db.selectFrom("deliveries").select("id").where("lease_until", ">", Date.now()).execute();
      expect(leased).toHaveLength(0);
      // …nor claimed and put back: only the two rows Telegram answered 429 were touched.
      const touched = await t.db.selectFrom("deliveries").select("id").where("event_id", "=", eventId).where("last_error", "is not", null).execute();
      expect(touched.length).toBeLessThanOrEqual(2);
    }
    await until(async () => (await pending(eventId)) === 0);
    expect(Math.min(...sentAt) - t0).toBeGreaterThanOrEqual(1100);
    expect(await deliveryCounts(t.db, eventId)).toEqual({ sent: 10 });
  });

  it("Telegram answering slowly does not slow the worker: the next notice does not wait for the last answer", async () => {
    const { eventId } = await deliveries(20);
    const startedAt: number[] = [];
    // 10 a second, each answer 300 ms late: one notice at a time would manage fewer than 3.4 a second.
    const w = worker(async () => {
      startedAt.push(Date.now());
      await sleep(300);
      return { kind: "sent" };
    }, { ratePerSecond: 10, perChatGapMs: 1000 });
    w.start();
    await until(async () => (await pending(eventId)) === 0);
    expect(await deliveryCounts(t.db, eventId)).toEqual({ sent: 20 });
    // Ten slots, each held 300 ms in flight and a second after: 20 notices start within about 2.2 s
    // (one at a time: 5.7 s at least).
    expect(startedAt).toHaveLength(20);
    expect(startedAt[19]! - startedAt[0]!).toBeLessThan(3500);
  });

  it("notices in flight together: still one message a second to a chat, counted from its answer", async () => {
    const { users } = await deliveries(3);
    // A second update for the same followers: two notices to each chat.
    await publishTo(users, "2026-12-02", "The court met once more.");
    const sends = new Map<number, Array<{ start: number; end: number }>>();
    const w = worker(async (n) => {
      const s = { start: Date.now(), end: 0 };
      sends.set(n.userId, [...(sends.get(n.userId) ?? []), s]);
      await sleep(150);
      s.end = Date.now();
      return { kind: "sent" };
    }, { ratePerSecond: 30, perChatGapMs: 400 });
    w.start();
    await until(async () => (await t.db.selectFrom("deliveries").select("id").where("status", "=", "pending").execute()).length === 0);
    for (const u of users) {
      const [a, b] = sends.get(u)!;
      expect(sends.get(u)).toHaveLength(2);
      expect(b!.start - a!.end).toBeGreaterThanOrEqual(390);
    }
  });

  it("a 429 for one chat holds back only that chat", async () => {
    const { eventId, users } = await deliveries(5);
    const budget = new SendBudget({ slots: 200, windowMs: 1000, perChatGapMs: 0 });
    const sentAt = new Map<number, number>();
    let limited = false;
    const t0 = Date.now();
    const w = worker(async (n) => {
      if (n.userId === users[0] && !limited) {
        limited = true;
        return { kind: "rate_limited", retryAfterMs: 2000, error: "429" };
      }
      sentAt.set(n.userId, Date.now());
      return { kind: "sent" };
    }, {}, budget);
    w.start();
    await until(async () => (await pending(eventId)) === 0);
    for (const u of users.slice(1)) expect(sentAt.get(u)! - t0).toBeLessThan(1000);
    expect(sentAt.get(users[0]!)! - t0).toBeGreaterThanOrEqual(1900);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { SendBudget } from "../../src/services/notifications/budget.js";
import { allocate, BUSY, BudgetShare, JUST_BUSY } from "../../src/services/notifications/budget-share.js";
import { DATABASES, seededDatabase, type TestDatabase } from "../helpers/databases.js";

/**
 * The one send budget: replies before notices, never more than the share in any window, one message
 * a second to a chat whatever its kind, a 429 holding back only what it concerns, and Telegram's 30 a
 * second split between processes so that the sum never goes over.
 */
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const silent = createLogger("silent");

/** The most grants in any window of `windowMs` in an ascending list of times. */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("send budget", () => {
  it("never grants more than its slots in any window, and notices come evenly, not in bursts", async () => {
    const b = new SendBudget({ slots: 10, windowMs: 300, perChatGapMs: 0 });
    const at: number[] = [];
    await Promise.all(Array.from({ length: 30 }, (_, i) => b.acquire("notice", i).then((done) => { at.push(Date.now()); done(); })));
    expect(busiestWindow(at, 300)).toBeLessThanOrEqual(10);
    // 30 notices at 10 per 300 ms take at least 0.8 s; evenly spaced means no two within a few ms.
    expect(at[29]! - at[0]!).toBeGreaterThanOrEqual(800);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps.filter((g) => g < 15).length).toBeLessThanOrEqual(3);
  });

  it("a reply waiting among many notices goes out first, within one notice's interval", async () => {
    const b = new SendBudget({ slots: 10, windowMs: 1000, perChatGapMs: 0 });
    let noticesDone = 0;
    const notices = Array.from({ length: 15 }, (_, i) => b.acquire("notice", 1000 + i).then((done) => { noticesDone++; done(); }));
    await sleep(250);
    const before = noticesDone;
    const t0 = Date.now();
    (await b.acquire("interactive", 7))();
    const waited = Date.now() - t0;
    // Notices are paced at 10 a second but leave room for replies: the reply needs no notice to go first.
    expect(waited).toBeLessThan(150);
    expect(noticesDone - before).toBeLessThanOrEqual(1);
    await Promise.all(notices);
  });

  it("when the window is full, the replies waiting get the freed slots before a notice that waited longer", async () => {
    const b = new SendBudget({ slots: 5, windowMs: 300, perChatGapMs: 0 });
    const order: string[] = [];
    const first = Array.from({ length: 5 }, (_, i) => b.acquire("interactive", 100 + i).then((done) => { order.push("reply"); done(); }));
    const notice = b.acquire("notice", 1).then((done) => { order.push("notice"); done(); });
    await sleep(20);
    const later = Array.from({ length: 3 }, (_, i) => b.acquire("interactive", 200 + i).then((done) => { order.push("reply"); done(); }));
    await Promise.all([...first, notice, ...later]);
    expect(order.indexOf("notice")).toBe(8);
  });

  it("notices answered slowly still leave the replies their room: no reply waits for a slot behind them", async () => {
    // 10 slots a window, 8 for notices: 2 left for replies, which come one every 200 ms (at most 2 in a window).
    const b = new SendBudget({ slots: 10, windowMs: 300, perChatGapMs: 0 });
    b.setShare(10, 8, false);
    let stop = false;
    // Each notice is answered 80 ms after it left: its slot is held 380 ms, not 300.
    const notices = (async () => {
      for (let i = 0; !stop; i++) {
        const done = await b.acquire("notice", 1000 + i);
        setTimeout(done, 80);
      }
    })();
    await sleep(600); // notices hold their 8 slots
    for (let i = 0; i < 8; i++) {
      (await b.acquire("interactive", 100 + i))();
      await sleep(200);
    }
    stop = true;
    await notices;
    expect(b.stats.repliesHeldForSlot).toBeLessThanOrEqual(1);
    // Notices still came at about their share: 8 per 380 ms over the ~2.2 s.
    expect(b.stats.notices).toBeGreaterThanOrEqual(35);
  });

  it("one message a second to a chat, replies and notices alike; other chats are not held up", async () => {
    const b = new SendBudget({ slots: 100, windowMs: 1000, perChatGapMs: 400 });
    const t0 = Date.now();
    const times: Record<string, number> = {};
    await Promise.all([
      b.acquire("interactive", 5).then((done) => { times["reply1"] = Date.now() - t0; done(); }),
      b.acquire("notice", 5).then((done) => { times["notice"] = Date.now() - t0; done(); }),
      b.acquire("interactive", 5).then((done) => { times["reply2"] = Date.now() - t0; done(); }),
      b.acquire("interactive", 6).then((done) => { times["other"] = Date.now() - t0; done(); }),
    ]);
    const chat5 = [times["reply1"]!, times["notice"]!, times["reply2"]!].sort((x, y) => x - y);
    expect(chat5[1]! - chat5[0]!).toBeGreaterThanOrEqual(390);
    expect(chat5[2]! - chat5[1]!).toBeGreaterThanOrEqual(390);
    expect(times["other"]).toBeLessThan(100);
    expect(b.chatFreeAt(5)).toBeGreaterThan(Date.now());
  });

  it("a 429 holds back its chat for retry_after; 429s for two chats at once hold back everything", async () => {
    const b = new SendBudget({ slots: 100, windowMs: 1000, perChatGapMs: 0 });
    b.rateLimited(1, 500);
    expect(b.pausedUntil()).toBeLessThan(Date.now());
    let t0 = Date.now();
    (await b.acquire("interactive", 2))();
    expect(Date.now() - t0).toBeLessThan(50);
    (await b.acquire("interactive", 1))();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(480);
    b.rateLimited(3, 400);
    b.rateLimited(4, 400);
    expect(b.pausedUntil()).toBeGreaterThan(Date.now() + 300);
    t0 = Date.now();
    (await b.acquire("notice", 9))();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });

  it("alone, notices leave room for the replies of the last seconds", async () => {
    const b = new SendBudget({ slots: 30, windowMs: 1000, perChatGapMs: 0 });
    expect(b.share().noticeSlots).toBe(30);
    for (let i = 0; i < 12; i++) (await b.acquire("interactive", i))(); // 4 a second over the last 3 s
    expect(b.share().noticeSlots).toBe(30 - Math.ceil(4 * 1.2));
  });
});

describe("sharing 30 a second between processes", () => {
  const row = (id: string, interactive: number, serves: boolean, notices: boolean, busy = notices) => ({
    id,
    seen_at: 0,
    interactive,
    serves: serves ? 1 : 0,
    notices: notices ? 1 : 0,
    busy: busy ? 1 : 0,
  });

  it("gives each process room for its replies and splits what is left among the notice senders; never more than 30", () => {
    const shares = allocate([row("bot", 4, true, true), row("w1", 0, false, true), row("w2", 0, false, true)]);
    const bot = shares.get("bot")!;
    expect(bot.slots - bot.noticeSlots).toBe(5); // 4 replies a second, with headroom
    const notices = [...shares.values()].map((s) => s.noticeSlots);
    expect(notices.reduce((s, x) => s + x, 0)).toBe(25);
    expect(Math.max(...notices) - Math.min(...notices)).toBeLessThanOrEqual(1);
    expect([...shares.values()].reduce((s, x) => s + x.slots, 0)).toBe(30);
  });

  it("idle notice senders leave their share to the busy ones; a bot without a worker keeps one slot; a storm of replies is scaled to 30", () => {
    const idle = allocate([row("a", 0, true, true, false), row("b", 0, false, true, true), row("web", 0, true, false)]);
    expect(idle.get("a")).toEqual({ slots: 0, noticeSlots: 0 });
    expect(idle.get("web")).toEqual({ slots: 1, noticeSlots: 0 });
    expect(idle.get("b")).toEqual({ slots: 29, noticeSlots: 29 });
    const storm = allocate([row("a", 40, true, true), row("b", 20, true, true)]);
    expect([...storm.values()].reduce((s, x) => s + x.slots, 0)).toBeLessThanOrEqual(30);
    expect(storm.get("a")!.slots).toBeGreaterThan(storm.get("b")!.slots);
  });

  it("a sender that has only just found work leaves the idle ones their share until it has been busy a while", () => {
    // A fan-out begins: one worker found rows, the others will at their next poll. Were their shares
    // taken now, each would hold its first claimed rows with no slot until its share grew back.
    const justBusy = { ...row("b", 0, false, true), busy: JUST_BUSY };
    const start = allocate([row("a", 4, true, true, false), justBusy, row("c", 0, false, true, false)]);
    const notices = [...start.values()].map((s) => s.noticeSlots);
    expect(notices.reduce((s, x) => s + x, 0)).toBe(25);
    expect(Math.min(...notices)).toBeGreaterThanOrEqual(8);
    // Busy a while and the others still idle: then it takes their shares.
    const later = allocate([row("a", 4, true, true, false), { ...justBusy, busy: BUSY }, row("c", 0, false, true, false)]);
    expect(later.get("b")!.noticeSlots).toBe(25);
    expect(later.get("c")).toEqual({ slots: 0, noticeSlots: 0 });
  });
});

describe.each(DATABASES)("budget share on $name", (kind) => {
  let t: TestDatabase;
  const shares: BudgetShare[] = [];
  beforeEach(async () => {
    t = await seededDatabase(kind);
  });
  afterEach(async () => {
    for (const s of shares.splice(0)) await s.stop();
    await t.cleanup();
  });

  function process(serves: boolean, notices: boolean): BudgetShare {
    const s = new BudgetShare(t.db, new SendBudget(), { serves }, silent);
    s.setNoticeSender(notices);
    if (notices) s.markBusy();
    shares.push(s);
    return s;
  }

  it("a bot and two workers: the shares they use never add up to more than 30, and a newcomer waits a window for its share", async () => {
    const bot = process(true, true);
    await bot.start();
    expect(bot.budget.share().slots).toBe(30); // alone
    const w1 = process(false, true);
    const w2 = process(false, true);
    await w1.start();
    await w2.start();
    const used = () => [bot, w1, w2].reduce((s, p) => s + p.budget.share().slots, 0);
    // The newcomers start from nothing until the others have shrunk.
    expect(w2.budget.share().slots).toBe(0);
    let sawAll = false;
    for (let i = 0; i < 40; i++) {
      await sleep(100);
      // All three keep sending notices: none counts as idle (5 s after its last batch), however
      // long this loop takes on a busy machine.
      for (const p of [bot, w1, w2]) p.markBusy();
      expect(used()).toBeLessThanOrEqual(30);
      if ([bot, w1, w2].every((p) => p.budget.share().noticeSlots >= 9)) sawAll = true;
    }
    expect(sawAll).toBe(true);
    expect(bot.sharedBy()).toBe(3);
    // A worker that leaves gives its share back.
    await w2.stop();
    await sleep(2500);
    for (const p of [bot, w1]) p.markBusy();
    await w1.beat();
    await bot.beat();
    expect(bot.budget.share().slots).toBeGreaterThanOrEqual(14);
  });
});

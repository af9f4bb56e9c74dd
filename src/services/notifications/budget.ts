/**
 * One send budget for the bot: every message this process sends to Telegram draws from it.
 *
 * Telegram allows about 30 messages a second in all and 1 a second in one chat, counted over a
 * sliding second on its side. A message is counted there somewhere between our asking and its answer;
 * so a slot here is taken when a send is granted and given back `windowMs` after its answer came (a
 * send's `done()`), and a chat is free again `perChatGapMs` after the answer: however late a request
 * leaves this process (a busy event loop), Telegram never counts one too many. This process may have
 * `slots` such sends at a time; the sum of the slots of all processes is 30 (see budget-share.ts).
 * Interactive replies are granted first, as soon as a slot and their chat are free; notices are paced
 * evenly at `noticeSlots` per window, take a slot only when no reply is waiting for one, and never
 * hold more than `noticeSlots` slots at once: a notice holds its slot while in flight and a window
 * after, and notices answered slowly, or catching up after a late timer, would otherwise take the
 * room left for replies, and a reply would wait for a slot behind them.
 *
 * No grammY here: the bot hooks its API calls in (bot/send-budget.ts), the outbox asks before each send.
 */
export type SendKind = "interactive" | "notice";

export interface BudgetOptions {
  /** Telegram's messages a second for the whole bot, shared by its processes (budget-share.ts). */
  perSecond: number;
  /** Messages in any window, all kinds, until the share across processes says otherwise. */
  slots: number;
  /** How long a slot stays taken after the answer (Telegram counts one second; a little margin). */
  windowMs: number;
  /** Time from the answer of one message to a chat to the next (Telegram: about one second). */
  perChatGapMs: number;
}

export const DEFAULT_BUDGET_OPTIONS: BudgetOptions = { perSecond: 30, slots: 30, windowMs: 1015, perChatGapMs: 1015 };

/** Call when Telegram answered (or the request failed): the slot and the chat count from then. */
export type Done = () => void;

/** A send whose answer never comes back is given up on after this long (far beyond any timeout). */
const IN_FLIGHT_MAX_MS = 10 * 60_000;

/** Interactive traffic is measured over this long to size the room notices leave for it. */
const DEMAND_WINDOW_MS = 3000;
/** Replies get this much more room than they used lately, so that a rising load finds a free slot. */
const DEMAND_HEADROOM = 1.2;
/** Two 429s from different chats this close together mean the bot as a whole is over Telegram's limit. */
const GLOBAL_429_WINDOW_MS = 1000;

interface Waiter {
  kind: SendKind;
  chatId: number | undefined;
  resolve: (done: Done) => void;
  /** When it asked, and what held it back first if it could not go at once. */
  askedAt: number;
  heldBy?: "slot" | "chat";
}

export class SendBudget {
  readonly opts: BudgetOptions;
  private slots: number;
  private noticeSlots: number;
  /** Whether the share is this process's alone: then the room for replies is worked out locally. */
  private alone = true;
  /** When each slot taken lately is free again (in flight: far in the future until done). */
  private readonly grants: Array<{ freeAt: number; kind: SendKind }> = [];
  private readonly interactiveGrants: number[] = [];
  private readonly chatNext = new Map<number, number>();
  private readonly waiters: Waiter[] = [];
  private nextNoticeAt = 0;
  private lastNoticeAt = 0;
  private pauseUntil = 0;
  private last429: { at: number; chatId: number | undefined } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  /**
   * Counters for logs and the benchmark. Replies held back: for a free slot (the window was full),
   * or for their chat (a message to it less than a second before, or a 429); and how long in all.
   * How long notices were in flight in all (grant to answer): each holds its slot that long and a
   * window more, so a window's worth of notices can come no faster than once per window + that time.
   */
  readonly stats = { interactive: 0, notices: 0, rateLimited: 0, globalPauses: 0, repliesHeldForSlot: 0, repliesHeldForChat: 0, repliesHeldMs: 0, noticesAnswered: 0, noticeInFlightMs: 0 };

  constructor(opts: Partial<BudgetOptions> = {}) {
    this.opts = { ...DEFAULT_BUDGET_OPTIONS, ...opts };
    this.slots = this.opts.slots;
    this.noticeSlots = this.opts.slots;
  }

  /**
   * Waits until a message of this kind to this chat may go out now, and counts it. Call the returned
   * `done` once Telegram has answered (or the request failed).
   */
  acquire(kind: SendKind, chatId?: number, signal?: AbortSignal): Promise<Done> {
    return new Promise<Done>((resolve, reject) => {
      if (signal?.aborted) return reject(new Error("aborted"));
      const onAbort = () => {
        const i = this.waiters.indexOf(w);
        if (i < 0) return;
        this.waiters.splice(i, 1);
        reject(new Error("aborted"));
      };
      const w: Waiter = {
        kind,
        chatId,
        askedAt: Date.now(),
        resolve: (done) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(done);
        },
      };
      this.waiters.push(w);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pump();
    });
  }

  /** When a message to this chat may go next (per-chat pacing, or a 429 for that chat). */
  chatFreeAt(chatId: number): number {
    return Math.max(this.chatNext.get(chatId) ?? 0, this.pauseUntil);
  }

  /** Until when the whole bot holds back after Telegram answered 429 to several chats at once. */
  pausedUntil(): number {
    return this.pauseUntil;
  }

  /**
   * Telegram answered 429 for a message to `chatId`: that chat waits `retry_after`. A second 429 for
   * another chat within a second means the bot as a whole is over the limit: then everything waits.
   */
  rateLimited(chatId: number | undefined, retryAfterMs: number, now = Date.now()): void {
    this.stats.rateLimited++;
    if (chatId !== undefined) this.chatNext.set(chatId, Math.max(this.chatNext.get(chatId) ?? 0, now + retryAfterMs));
    const prev = this.last429;
    this.last429 = { at: now, chatId };
    if (chatId === undefined || (prev !== undefined && now - prev.at < GLOBAL_429_WINDOW_MS && prev.chatId !== chatId)) {
      this.pauseUntil = Math.max(this.pauseUntil, now + retryAfterMs);
      this.stats.globalPauses++;
    }
    this.pump();
  }

  /**
   * This process's share: `slots` messages per window in all, of which notices are paced at
   * `noticeSlots`. When `alone`, notices leave room for the replies of the last seconds themselves.
   */
  setShare(slots: number, noticeSlots: number, alone: boolean): void {
    this.slots = Math.max(0, Math.floor(slots));
    this.noticeSlots = Math.max(0, Math.min(this.slots, Math.floor(noticeSlots)));
    this.alone = alone;
    this.pump();
  }

  share(): { slots: number; noticeSlots: number } {
    return { slots: this.slots, noticeSlots: this.effectiveNoticeSlots() };
  }

  /** Interactive messages a second lately, plus the replies waiting now: what this process asks for. */
  interactiveDemand(now = Date.now()): number {
    prune(this.interactiveGrants, now - DEMAND_WINDOW_MS);
    const waiting = this.waiters.filter((w) => w.kind === "interactive").length;
    return (this.interactiveGrants.length * 1000) / DEMAND_WINDOW_MS + waiting;
  }

  /** Slots interactive traffic of this demand needs in a window. */
  static roomFor(demand: number): number {
    return demand <= 0 ? 0 : Math.ceil(demand * DEMAND_HEADROOM);
  }

  private effectiveNoticeSlots(): number {
    if (!this.alone) return this.noticeSlots;
    return Math.max(0, Math.min(this.noticeSlots, this.slots - SendBudget.roomFor(this.interactiveDemand())));
  }

  private grant(w: Waiter, now: number): void {
    const slot = { freeAt: now + IN_FLIGHT_MAX_MS, kind: w.kind };
    this.grants.push(slot);
    if (w.kind === "interactive") {
      this.interactiveGrants.push(now);
      this.stats.interactive++;
      if (w.heldBy !== undefined) {
        this.stats[w.heldBy === "slot" ? "repliesHeldForSlot" : "repliesHeldForChat"]++;
        this.stats.repliesHeldMs += now - w.askedAt;
      }
    } else {
      this.stats.notices++;
    }
    const chatId = w.chatId;
    if (chatId !== undefined) {
      this.chatNext.set(chatId, Math.max(this.chatNext.get(chatId) ?? 0, now + IN_FLIGHT_MAX_MS));
      if (this.chatNext.size > 50_000) this.forgetOldChats(now);
    }
    this.waiters.splice(this.waiters.indexOf(w), 1);
    let called = false;
    w.resolve(() => {
      if (called) return;
      called = true;
      const at = Date.now();
      slot.freeAt = at + this.opts.windowMs;
      if (w.kind === "notice") {
        this.stats.noticesAnswered++;
        this.stats.noticeInFlightMs += at - now;
      }
      if (chatId !== undefined) {
        // A 429 may have pushed the chat further out meanwhile; the in-flight mark is replaced.
        const cur = this.chatNext.get(chatId) ?? 0;
        const held = cur >= now + IN_FLIGHT_MAX_MS - 1 ? 0 : cur;
        this.chatNext.set(chatId, Math.max(held, at + this.opts.perChatGapMs));
      }
      this.pump();
    });
  }

  private forgetOldChats(now: number): void {
    for (const [chat, at] of this.chatNext) if (at < now) this.chatNext.delete(chat);
  }

  /** Grants what may go now, replies first, and sets a timer for the next moment something may. */
  private pump(): void {
    const now = Date.now();
    for (let i = this.grants.length - 1; i >= 0; i--) if (this.grants[i]!.freeAt <= now) this.grants.splice(i, 1);
    let wake = Number.POSITIVE_INFINITY;
    // When one more of these grants may be held: now, or when enough of them are let go.
    const freeAt = (held: ReadonlyArray<{ freeAt: number }>, max: number): number => {
      if (held.length < max) return now;
      const ends = held.map((g) => g.freeAt).sort((a, b) => a - b);
      return ends[held.length - max] ?? now;
    };
    const windowFreeAt = () => freeAt(this.grants, this.slots);
    const blocked = (w: Waiter): number => {
      let at = this.pauseUntil;
      if (w.chatId !== undefined) at = Math.max(at, this.chatNext.get(w.chatId) ?? 0);
      return at;
    };
    // Replies: in order of arrival, a reply whose chat must wait does not hold up the others.
    let replyWaitsForSlot = false;
    for (const w of this.waiters.filter((x) => x.kind === "interactive")) {
      const chatAt = blocked(w);
      if (chatAt > now) {
        w.heldBy ??= "chat";
        wake = Math.min(wake, chatAt);
        continue;
      }
      const slotAt = this.slots > 0 ? windowFreeAt() : Number.POSITIVE_INFINITY;
      if (slotAt > now) {
        w.heldBy ??= "slot";
        replyWaitsForSlot = true;
        wake = Math.min(wake, slotAt);
        break;
      }
      this.grant(w, now);
    }
    // Notices: evenly paced, and only when no reply is waiting for a slot.
    const noticeSlots = this.effectiveNoticeSlots();
    // With no share for notices, the next change of share (setShare) or a reply's slot pumps again.
    if (!replyWaitsForSlot && noticeSlots > 0) {
      const interval = this.opts.windowMs / noticeSlots;
      // A smaller share than before: the next notice is not held longer than the new pace.
      this.nextNoticeAt = Math.min(this.nextNoticeAt, this.lastNoticeAt + interval);
      for (const w of this.waiters.filter((x) => x.kind === "notice")) {
        const chatAt = blocked(w);
        if (chatAt > now) {
          wake = Math.min(wake, chatAt);
          continue;
        }
        // However the pace jitters (a late timer catching up), notices never hold more than their
        // share of slots: the rest stays free for replies.
        const noticesFreeAt = freeAt(this.grants.filter((g) => g.kind === "notice"), noticeSlots);
        const at = Math.max(windowFreeAt(), noticesFreeAt, this.nextNoticeAt);
        if (at > now) {
          wake = Math.min(wake, at);
          break;
        }
        // A timer that fired late does not lose the slot, but notices never burst to catch up.
        this.nextNoticeAt = Math.max(now - interval / 2, this.nextNoticeAt) + interval;
        this.lastNoticeAt = now;
        this.grant(w, now);
      }
    }
    if (this.waiters.length > 0 && Number.isFinite(wake)) this.schedule(wake, now);
  }

  private schedule(at: number, now: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, Math.max(1, at - now));
  }
}

/** Drops the leading entries at or before `cutoff` from an ascending list. */
function prune(times: number[], cutoff: number): void {
  let k = 0;
  while (k < times.length && times[k]! <= cutoff) k++;
  if (k > 0) times.splice(0, k);
}

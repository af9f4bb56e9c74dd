import { randomBytes } from "node:crypto";
import type { Logger } from "../../logger.js";
import type { DB } from "../../store/db.js";
import { type BudgetRow, beat, leave } from "../../store/send-budget.js";
import { SendBudget } from "./budget.js";

/** Telegram's messages a second for one bot, shared by all its processes. */
export const TELEGRAM_PER_SECOND = 30;
const HEARTBEAT_MS = 500;
const LIVE_MS = 2000;
/** A notice sender that claimed nothing for this long leaves its share to the busy ones. */
const BUSY_MS = 5000;
/**
 * A sender that has just found work does not take the shares of the idle ones yet: they poll the same
 * outbox and most likely find work within their poll (a second) and a heartbeat. Taking their shares
 * at once would leave each of them at nothing while it holds the rows it claimed, until its own share
 * grows back a heartbeat and a window later: a fan-out's first seconds at a fraction of the budget.
 */
const BUSY_SETTLE_MS = 2000;
/** Values of a row's `busy`: no work lately; work, for a while; work, found just now. */
export const IDLE = 0;
export const BUSY = 1;
export const JUST_BUSY = 2;

export interface Share {
  slots: number;
  noticeSlots: number;
}

/**
 * Splits Telegram's 30 a second between the processes alive, the same way in each of them (every
 * process reads the same rows): first each gets room for its interactive traffic (what it sent lately
 * and has waiting, with headroom; a process that serves readers but sends no notices keeps at least
 * one slot), then the notice senders share what is left evenly (with none alive, the processes that
 * serve readers do). Idle senders are left out once another has been busy for a while (BUSY_SETTLE_MS),
 * not at once. Whole slots: a process paced at k
 * per window never sends more than k in any second, so the sum stays under 30.
 */
export function allocate(rows: readonly BudgetRow[], total = TELEGRAM_PER_SECOND): Map<string, Share> {
  const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const room = sorted.map((r) => Math.max(SendBudget.roomFor(r.interactive), r.serves && !r.notices ? 1 : 0));
  let roomSum = room.reduce((s, x) => s + x, 0);
  // More interactive demand than Telegram allows: scale it down, the busiest keep the most.
  if (roomSum > total) {
    for (let i = 0; i < room.length; i++) room[i] = Math.floor((room[i]! * total) / roomSum);
    roomSum = room.reduce((s, x) => s + x, 0);
  }
  const anyBusy = sorted.some((r) => r.notices && r.busy === BUSY);
  let senders = sorted.map((r) => r.notices === 1 && (r.busy !== IDLE || !anyBusy));
  // No notice sender alive: what is left goes to the processes that serve readers.
  if (!senders.some(Boolean)) senders = sorted.map((r) => r.serves === 1);
  const count = senders.filter(Boolean).length;
  const left = total - roomSum;
  const out = new Map<string, Share>();
  let k = 0;
  sorted.forEach((r, i) => {
    let notice = 0;
    if (senders[i]) {
      notice = Math.floor(left / count) + (k < left % count ? 1 : 0);
      k++;
    }
    out.set(r.id, { slots: room[i]! + notice, noticeSlots: r.notices ? notice : 0 });
  });
  return out;
}

/**
 * Keeps this process's share of the send budget current: a heartbeat row every half second with its
 * interactive demand, then the share `allocate` gives it. A share only grows a window after the others
 * learnt of it (they shrink first), so two processes never both use the same slot. When the database
 * cannot be reached the last share is kept.
 */
export class BudgetShare {
  readonly id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  private timer: NodeJS.Timeout | undefined;
  private noticeSender = false;
  private lastBusyAt = 0;
  /** Since when the worker has found work without a pause of BUSY_MS. */
  private busySince = 0;
  private readonly history: Array<{ at: number; share: Share }> = [];
  private joined = false;
  private current: Share;
  private processes = 1;

  constructor(
    private readonly db: DB,
    readonly budget: SendBudget,
    private readonly role: { serves: boolean },
    private readonly log: Logger,
  ) {
    this.current = budget.share();
  }

  /** The first heartbeat is awaited, so that nothing is sent before this process knows its share. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await leave(this.db, this.id).catch(() => undefined);
  }

  /** The outbox worker says it runs (it is then given a share of notices). */
  setNoticeSender(on: boolean): void {
    if (this.noticeSender === on) return;
    this.noticeSender = on;
    if (this.timer !== undefined) void this.beat();
  }

  /** The outbox worker found work: it counts as busy for a few seconds. */
  markBusy(now = Date.now()): void {
    if (now - this.lastBusyAt >= BUSY_MS) this.busySince = now;
    this.lastBusyAt = now;
  }

  /** How many processes share the budget now (1 when alone). */
  sharedBy(): number {
    return this.processes;
  }

  async beat(now = Date.now()): Promise<void> {
    let rows: BudgetRow[];
    try {
      rows = await beat(
        this.db,
        {
          id: this.id,
          seen_at: now,
          interactive: Math.round(this.budget.interactiveDemand(now) * 10) / 10,
          serves: this.role.serves ? 1 : 0,
          notices: this.noticeSender ? 1 : 0,
          busy: !this.noticeSender || now - this.lastBusyAt >= BUSY_MS ? IDLE : now - this.busySince < BUSY_SETTLE_MS ? JUST_BUSY : BUSY,
        },
        LIVE_MS,
      );
    } catch (err) {
      this.log.warn("send budget: heartbeat failed; keeping the last share", { err });
      return;
    }
    this.processes = Math.max(1, rows.length);
    const alone = rows.length <= 1;
    const share = allocate(rows, this.budget.opts.perSecond).get(this.id) ?? { slots: 0, noticeSlots: 0 };
    this.apply(share, alone, now);
  }

  private apply(share: Share, alone: boolean, now: number): void {
    if (alone) {
      this.joined = true;
      this.history.length = 0;
      this.set(share, true);
      return;
    }
    // Shrinking takes effect at once, growing only once the others have had a beat and a window to
    // shrink: the share used is the least of the shares worked out over that time. A process that
    // joins others starts from nothing for the same reason.
    const delay = HEARTBEAT_MS + this.budget.opts.windowMs;
    if (this.history.length === 0 && !this.joined) this.history.push({ at: now, share: { slots: 0, noticeSlots: 0 } });
    this.joined = true;
    this.history.push({ at: now, share });
    while (this.history.length > 1 && this.history[0]!.at < now - delay) this.history.shift();
    this.set(
      {
        slots: Math.min(...this.history.map((h) => h.share.slots)),
        noticeSlots: Math.min(...this.history.map((h) => h.share.noticeSlots)),
      },
      false,
    );
  }

  private set(share: Share, alone: boolean): void {
    this.current = share;
    this.budget.setShare(share.slots, share.noticeSlots, alone);
  }
}

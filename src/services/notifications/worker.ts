import { randomBytes } from "node:crypto";
import { isLang } from "../../domain/codes.js";
import type { Logger } from "../../logger.js";
import type { DB } from "../../store/db.js";
import * as store from "../../store/deliveries.js";
import { eventContent } from "../../store/events.js";
import { setUserActive } from "../../store/users.js";
import type { BudgetShare } from "./budget-share.js";
import { type Done, SendBudget } from "./budget.js";
import { type Notice, noticeKind, type SendNotice, type SendOutcome } from "./types.js";

export interface WorkerOptions {
  /**
   * Messages per second when the worker has no shared budget of its own (tests, tools); in the bot
   * and `npm run worker` the send budget decides.
   */
  ratePerSecond: number;
  /** Minimum gap between two messages to one chat (Telegram: about 1 s), likewise. */
  perChatGapMs: number;
  batchSize: number;
  /**
   * How long a claimed row stays ours; after a crash it is claimable again once this passes. The
   * lease is renewed every third of it while the row is held (waiting its turn or being sent), so a
   * slow send never lets another worker take the row, and a restart stays quick.
   */
  leaseMs: number;
  idlePollMs: number;
  maxAttempts: number;
  /** First retry delay after a failed send; doubles with each attempt, capped at five minutes. */
  retryBaseMs: number;
  /** First wait after an error of the worker itself (database); doubles up to `maxErrorBackoffMs`. */
  errorBackoffMs: number;
  maxErrorBackoffMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  ratePerSecond: 30,
  perChatGapMs: 1035,
  batchSize: 10,
  leaseMs: 5_000,
  idlePollMs: 1000,
  maxAttempts: 8,
  retryBaseMs: 1000,
  errorBackoffMs: 500,
  maxErrorBackoffMs: 30_000,
};

/** The loop has not turned for this long: it is stuck (a hung database call), not running. */
const STALL_MS = 120_000;

export interface WorkerHealth {
  /** Started, not stopped, and its loop turned within the last two minutes. */
  running: boolean;
  /** Errors in a row (claims, database writes); 0 after a good batch. */
  consecutiveErrors: number;
  lastError: string | undefined;
}

/**
 * The notification outbox worker. It claims due delivery rows, sends each when the send budget gives
 * it a slot, and records each outcome the moment it is known: after a crash nothing is lost and at
 * most the message that was in flight is sent again. Its loop never ends while the process lives:
 * an error on a row or a batch is logged, waited out (with backoff) and the work taken up again.
 */
export class OutboxWorker {
  private readonly opts: WorkerOptions;
  private readonly budget: SendBudget;
  private readonly share: BudgetShare | undefined;
  private started = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private lastTurn = 0;
  private consecutiveErrors = 0;
  private lastError: string | undefined;
  private readonly id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  private claims = 0;
  /** The rows of the batch in hand, kept leased until each is done. */
  private held: { token: string; ids: Set<number> } | undefined;
  private keeper: NodeJS.Timeout | undefined;
  /** Ends a wait for the budget when the worker stops. */
  private abort = new AbortController();

  constructor(
    private readonly db: DB,
    private readonly send: SendNotice,
    private readonly log: Logger,
    opts: Partial<WorkerOptions> = {},
    budget?: { budget: SendBudget; share?: BudgetShare },
  ) {
    this.opts = { ...DEFAULT_WORKER_OPTIONS, ...opts };
    this.budget =
      budget?.budget ??
      new SendBudget({ slots: this.opts.ratePerSecond, windowMs: 1000, perChatGapMs: this.opts.perChatGapMs });
    this.share = budget?.share;
  }

  start(): void {
    if (this.started && !this.stopping) return;
    this.started = true;
    this.stopping = false;
    this.abort = new AbortController();
    this.lastTurn = Date.now();
    this.share?.setNoticeSender(true);
    this.loop = this.run();
  }

  /** Called after an approval: look for work now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Whether the loop is alive; `/healthz` answers 503 when it is not. */
  isRunning(): boolean {
    return this.health().running;
  }

  health(): WorkerHealth {
    return {
      running: this.started && !this.stopping && Date.now() - this.lastTurn < STALL_MS,
      consecutiveErrors: this.consecutiveErrors,
      lastError: this.lastError,
    };
  }

  /** Finishes the send in hand, releases the rest of the batch, and returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.share?.setNoticeSender(false);
    this.abort.abort();
    this.wake();
    await this.loop;
  }

  private async idle(ms: number): Promise<void> {
    if (this.stopping || ms <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((r) => (timer = setTimeout(r, ms))), new Promise<void>((r) => (this.wakeUp = r))]);
    clearTimeout(timer);
    this.wakeUp = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.lastTurn = Date.now();
      try {
        await this.batch();
        this.consecutiveErrors = 0;
      } catch (err) {
        this.consecutiveErrors++;
        this.lastError = err instanceof Error ? err.message : String(err);
        const backoff = Math.min(this.opts.maxErrorBackoffMs, this.opts.errorBackoffMs * 2 ** (this.consecutiveErrors - 1));
        this.log.error("outbox: batch failed; retrying", { err, errors_in_a_row: this.consecutiveErrors, retry_in_ms: backoff });
        await this.idle(backoff);
      }
    }
  }

  /** One turn: claim a batch (unless Telegram asked the bot to wait), deliver it, hand back the rest. */
  private async batch(): Promise<void> {
    const paused = this.budget.pausedUntil() - Date.now();
    if (paused > 0) {
      // Rows are not claimed while the bot waits out a 429: they stay free for nobody to hold.
      await this.idle(paused);
      return;
    }
    const token = `${this.id}-${++this.claims}`;
    const rows = await store.claimDue(this.db, Date.now(), this.opts.batchSize, this.opts.leaseMs, token);
    if (rows.length === 0) {
      await this.idle(this.opts.idlePollMs);
      return;
    }
    this.share?.markBusy();
    this.hold(token, rows.map((r) => r.id));
    try {
      const claimed = await store.loadDeliveryContext(this.db, rows.map((r) => r.id));
      for (const row of claimed) {
        if (this.stopping) break;
        this.lastTurn = Date.now();
        // A database error here ends the batch (the loop backs off): sending on while outcomes
        // cannot be recorded would repeat every one of those messages later.
        await this.deliver(row, token);
        this.held?.ids.delete(row.id);
        // After Telegram's 429 for the bot as a whole the rest of the batch is handed back.
        if (this.budget.pausedUntil() > Date.now()) break;
      }
    } finally {
      const left = [...(this.held?.ids ?? [])];
      this.unhold();
      await store.releaseLeases(this.db, left, token);
    }
  }

  /** Keeps the batch's leases ours while it is in hand. */
  private hold(token: string, ids: number[]): void {
    this.held = { token, ids: new Set(ids) };
    const every = Math.max(50, Math.floor(this.opts.leaseMs / 3));
    this.keeper = setInterval(() => {
      const held = this.held;
      if (held === undefined || held.ids.size === 0) return;
      store.extendLeases(this.db, [...held.ids], held.token, Date.now() + this.opts.leaseMs).catch((err: unknown) => {
        this.log.warn("outbox: could not renew leases", { err });
      });
    }, every);
  }

  private unhold(): void {
    if (this.keeper !== undefined) clearInterval(this.keeper);
    this.keeper = undefined;
    this.held = undefined;
  }

  private async deliver(row: store.DeliveryContextRow, token: string): Promise<void> {
    const freeAt = this.budget.chatFreeAt(row.user_id);
    if (freeAt > Date.now() + 20) {
      // Another message to this chat went out less than a second ago (or Telegram asked it to wait).
      await store.reschedule(this.db, row.id, token, freeAt, "paced: one message per chat per second", false);
      return;
    }
    let done: Done;
    try {
      done = await this.budget.acquire("notice", row.user_id, this.abort.signal);
    } catch {
      return; // stopping: the row is handed back with the rest of the batch
    }
    const notice: Notice = {
      deliveryId: row.id,
      kind: noticeKind(row.kind),
      userId: row.user_id,
      lang: isLang(row.language) ? row.language : "en",
      caseSlug: row.case_slug,
      eventId: row.event_id,
      ...eventContent(row),
    };
    let outcome: SendOutcome;
    try {
      outcome = await this.send(notice);
    } catch (err) {
      // SendNotice should never throw; if it does (a bug in rendering), this row is retried later
      // like any failed send, and the others go on.
      this.log.error("outbox: sending threw", { err, delivery: row.id });
      outcome = { kind: "failed", error: err instanceof Error ? err.message : String(err), permanent: false };
    }
    done();
    const now = Date.now();
    let recorded = true;
    switch (outcome.kind) {
      case "sent":
        recorded = await store.markSent(this.db, row.id, token, new Date(now).toISOString());
        break;
      case "blocked":
        recorded = await store.markFinal(this.db, row.id, token, "blocked", outcome.error);
        await setUserActive(this.db, row.user_id, false);
        break;
      case "rate_limited":
        this.budget.rateLimited(row.user_id, outcome.retryAfterMs, now);
        this.log.warn("outbox: rate limited", { retry_after_ms: outcome.retryAfterMs });
        recorded = await store.reschedule(this.db, row.id, token, now + outcome.retryAfterMs, outcome.error, false);
        break;
      case "failed": {
        const attempts = row.attempts + 1;
        if (outcome.permanent || attempts >= this.opts.maxAttempts) {
          recorded = await store.markFinal(this.db, row.id, token, "failed", outcome.error);
          this.log.warn("outbox: delivery failed for good", { delivery: row.id, attempts });
          break;
        }
        const backoff = Math.min(300_000, this.opts.retryBaseMs * 2 ** (attempts - 1));
        recorded = await store.reschedule(this.db, row.id, token, now + backoff, outcome.error, true);
      }
    }
    if (!recorded) this.log.warn("outbox: lease lost before the outcome was recorded", { delivery: row.id, outcome: outcome.kind });
  }
}

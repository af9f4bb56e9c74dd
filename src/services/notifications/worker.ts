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
 * most the messages that were in flight are sent again. Its loop never ends while the process lives:
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
  /** The rows of the batches in hand (by lease token), kept leased until each is done. */
  private readonly held = new Map<string, Set<number>>();
  private keeper: NodeJS.Timeout | undefined;
  /** Notices sent or being sent whose outcome is not recorded yet, by chat. */
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Outcomes Telegram gave that could not be written (database away): written before anything new is claimed. */
  private readonly unrecorded: Array<() => Promise<boolean>> = [];
  /** The first error of a notice in flight: it ends the batch, like an error of the loop itself. */
  private failure: unknown;
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

  /** Finishes the sends in flight, releases the rest of the batch, and returns. */
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
    this.keepLeases();
    while (!this.stopping) {
      this.lastTurn = Date.now();
      try {
        const failure = this.failure;
        this.failure = undefined;
        if (failure !== undefined) throw failure;
        await this.recordLeftOutcomes();
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
    // Stopping: the notices in flight are answered and their outcomes written.
    await Promise.all([...this.inFlight.values()]);
    await this.recordLeftOutcomes().catch((err: unknown) => this.log.warn("outbox: outcomes left unwritten at stop", { err, left: this.unrecorded.length }));
    if (this.keeper !== undefined) clearInterval(this.keeper);
    this.keeper = undefined;
    this.held.clear();
  }

  /**
   * One turn: claim a batch (unless Telegram asked the bot to wait), set each row's send going as
   * soon as the budget gives it a slot, and hand back the rows not started. Sends overlap: a notice
   * does not wait for the answer to the one before (the budget bounds how many are in flight, one a
   * chat), so a slow answer from Telegram does not slow the pace; the next batch is claimed while
   * the last answers of this one are awaited.
   */
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
    this.held.set(token, new Set(rows.map((r) => r.id)));
    const started = new Set<number>();
    try {
      const claimed = await store.loadDeliveryContext(this.db, rows.map((r) => r.id));
      for (const row of claimed) {
        // A database error of a send in flight ends the batch (the loop backs off): sending on while
        // outcomes cannot be recorded would repeat every one of those messages later.
        if (this.stopping || this.failure !== undefined) break;
        this.lastTurn = Date.now();
        if (await this.deliver(row, token)) started.add(row.id);
        // After Telegram's 429 for the bot as a whole the rest of the batch is handed back.
        if (this.budget.pausedUntil() > Date.now()) break;
      }
    } finally {
      const left = [...(this.held.get(token) ?? [])].filter((id) => !started.has(id));
      for (const id of left) this.forget(token, id);
      await store.releaseLeases(this.db, left, token);
    }
  }

  /** Keeps the leases of the rows in hand ours (waiting their turn, in flight, or their outcome unwritten). */
  private keepLeases(): void {
    if (this.keeper !== undefined) clearInterval(this.keeper);
    const every = Math.max(50, Math.floor(this.opts.leaseMs / 3));
    this.keeper = setInterval(() => {
      for (const [token, ids] of this.held) {
        if (ids.size === 0) continue;
        store.extendLeases(this.db, [...ids], token, Date.now() + this.opts.leaseMs).catch((err: unknown) => {
          this.log.warn("outbox: could not renew leases", { err });
        });
      }
    }, every);
  }

  private forget(token: string, id: number): void {
    const ids = this.held.get(token);
    ids?.delete(id);
    if (ids?.size === 0) this.held.delete(token);
  }

  /** Writes the outcomes a database error left unwritten, oldest first; throws while it still fails. */
  private async recordLeftOutcomes(): Promise<void> {
    while (this.unrecorded.length > 0) {
      await this.unrecorded[0]!();
      this.unrecorded.shift();
    }
  }

  /**
   * Waits for the budget's slot for this row and sets its send going (true), or reschedules it for
   * its chat's next free second, or gives it up because the worker stops (false).
   */
  private async deliver(row: store.DeliveryContextRow, token: string): Promise<boolean> {
    // One message to a chat at a time from this worker: the next waits for the answer to the last.
    const earlier = this.inFlight.get(row.user_id);
    if (earlier !== undefined) await earlier;
    const freeAt = this.budget.chatFreeAt(row.user_id);
    if (freeAt > Date.now() + 20) {
      // Another message to this chat went out less than a second ago (or Telegram asked it to wait).
      await store.reschedule(this.db, row.id, token, freeAt, "paced: one message per chat per second", false);
      this.forget(token, row.id);
      return true;
    }
    let done: Done;
    try {
      done = await this.budget.acquire("notice", row.user_id, this.abort.signal);
    } catch {
      return false; // stopping: the row is handed back with the rest of the batch
    }
    const sending: Promise<void> = this.sendAndRecord(row, token, done)
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => {
        if (this.inFlight.get(row.user_id) === sending) this.inFlight.delete(row.user_id);
      });
    this.inFlight.set(row.user_id, sending);
    return true;
  }

  /** Sends one notice and writes its outcome; an outcome the database did not take is kept to write later. */
  private async sendAndRecord(row: store.DeliveryContextRow, token: string, done: Done): Promise<void> {
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
    if (outcome.kind === "rate_limited") {
      this.budget.rateLimited(row.user_id, outcome.retryAfterMs, now);
      this.log.warn("outbox: rate limited", { retry_after_ms: outcome.retryAfterMs });
    }
    const record = async (): Promise<boolean> => {
      switch (outcome.kind) {
        case "sent":
          return store.markSent(this.db, row.id, token, new Date(now).toISOString());
        case "blocked": {
          const recorded = await store.markFinal(this.db, row.id, token, "blocked", outcome.error);
          await setUserActive(this.db, row.user_id, false);
          return recorded;
        }
        case "rate_limited":
          return store.reschedule(this.db, row.id, token, now + outcome.retryAfterMs, outcome.error, false);
        case "failed": {
          const attempts = row.attempts + 1;
          if (outcome.permanent || attempts >= this.opts.maxAttempts) {
            this.log.warn("outbox: delivery failed for good", { delivery: row.id, attempts });
            return store.markFinal(this.db, row.id, token, "failed", outcome.error);
          }
          const backoff = Math.min(300_000, this.opts.retryBaseMs * 2 ** (attempts - 1));
          return store.reschedule(this.db, row.id, token, now + backoff, outcome.error, true);
        }
      }
    };
    const written = (recorded: boolean) => {
      this.forget(token, row.id);
      if (!recorded) this.log.warn("outbox: lease lost before the outcome was recorded", { delivery: row.id, outcome: outcome.kind });
    };
    let recorded: boolean;
    try {
      recorded = await record();
    } catch (err) {
      // The row stays held (its lease renewed while the database lets it): once the database is
      // back, this outcome is written under the same lease before anything new is claimed, so
      // the notice is not sent again.
      this.unrecorded.push(async () => {
        written(await record());
        return true;
      });
      throw err;
    }
    written(recorded);
  }
}

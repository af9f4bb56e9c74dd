import { isLang } from "../../domain/codes.js";
import type { Logger } from "../../logger.js";
import type { DB } from "../../store/db.js";
import * as store from "../../store/deliveries.js";
import { setUserActive } from "../../store/users.js";
import { heartbeat, removeWorker } from "../../store/workers.js";
import { randomBytes } from "node:crypto";
import type { Notice, SendNotice } from "./types.js";

export interface WorkerOptions {
  /** Messages per second across all chats (Telegram: about 30). */
  ratePerSecond: number;
  /** Minimum gap between two messages to one chat (Telegram: about 1 s). */
  perChatGapMs: number;
  batchSize: number;
  /**
   * How long a claimed row stays ours; after a crash it is claimable again once this passes. Batches
   * are small (about a third of a second of sending) so a lease can be short and a restart quick.
   */
  leaseMs: number;
  idlePollMs: number;
  maxAttempts: number;
  /** First retry delay after a failed send; doubles with each attempt, capped at five minutes. */
  retryBaseMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  ratePerSecond: 30,
  perChatGapMs: 1000,
  batchSize: 10,
  leaseMs: 5_000,
  idlePollMs: 1000,
  maxAttempts: 8,
  retryBaseMs: 1000,
};

const HEARTBEAT_MS = 1000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The notification outbox worker. It claims due delivery rows, sends them paced under Telegram's
 * limits, and records each outcome the moment it is known: after a crash nothing is lost and at
 * most the message that was in flight is sent again.
 */
export class OutboxWorker {
  private readonly opts: WorkerOptions;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private lastSendAt = 0;
  private pausedUntil = 0;
  private readonly lastToChat = new Map<number, number>();
  private readonly id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  /** This worker's share of the global rate: the limit divided by the workers alive. */
  private share = 1;
  private lastHeartbeat = 0;

  constructor(
    private readonly db: DB,
    private readonly send: SendNotice,
    private readonly log: Logger,
    opts: Partial<WorkerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_WORKER_OPTIONS, ...opts };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => {
      this.running = false;
      this.log.error("outbox worker stopped on an error", { err });
    });
  }

  /** Whether the delivery loop is alive (read by /healthz). */
  isRunning(): boolean {
    return this.running;
  }

  /** Called after an approval: look for work now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Finishes the send in hand, releases the rest of the batch, and returns. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async idle(ms: number): Promise<void> {
    await Promise.race([sleep(ms), new Promise<void>((r) => (this.wakeUp = r))]);
    this.wakeUp = undefined;
  }

  /** Tells the other workers this one is alive and learns how many share the global rate. */
  private async beat(): Promise<void> {
    if (Date.now() - this.lastHeartbeat < HEARTBEAT_MS) return;
    this.lastHeartbeat = Date.now();
    try {
      this.share = await heartbeat(this.db, this.id, this.lastHeartbeat, HEARTBEAT_MS * 3);
    } catch (err) {
      this.log.warn("outbox: heartbeat failed", { err });
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.beat();
      let claimed: store.DeliveryContextRow[];
      try {
        const rows = await store.claimDue(this.db, Date.now(), this.opts.batchSize, this.opts.leaseMs);
        claimed = await store.loadDeliveryContext(this.db, rows.map((r) => r.id));
      } catch (err) {
        this.log.error("outbox: claiming failed", { err });
        await this.idle(this.opts.idlePollMs);
        continue;
      }
      if (claimed.length === 0) {
        await this.idle(this.opts.idlePollMs);
        continue;
      }
      const left = [...claimed];
      while (left.length > 0 && this.running) {
        await this.beat();
        const row = left.shift()!;
        await this.deliver(row);
        // After a 429 the rest of the batch is handed back rather than held past its lease.
        if (this.pausedUntil > Date.now()) break;
      }
      await store.releaseLeases(this.db, left.map((r) => r.id));
    }
    await removeWorker(this.db, this.id).catch(() => undefined);
  }

  /** Waits for the next free slot under the global rate, and for any 429 pause to end. */
  private async pace(): Promise<void> {
    const gap = Math.ceil((1000 * this.share) / this.opts.ratePerSecond);
    for (;;) {
      const wait = Math.max(this.pausedUntil, this.lastSendAt + gap) - Date.now();
      if (wait <= 0) break;
      await sleep(wait);
    }
    this.lastSendAt = Date.now();
  }

  private async deliver(row: store.DeliveryContextRow): Promise<void> {
    const lastToChat = this.lastToChat.get(row.user_id);
    if (lastToChat !== undefined && Date.now() - lastToChat < this.opts.perChatGapMs) {
      await store.reschedule(this.db, row.id, lastToChat + this.opts.perChatGapMs, "paced: one message per chat per second", false);
      return;
    }
    await this.pace();
    const notice: Notice = {
      deliveryId: row.id,
      kind: row.kind === "reminder" ? "reminder" : "update",
      updateType: row.update_type,
      statusFrom: row.status_from,
      statusTo: row.status_to,
      hearingDate: row.hearing_date,
      userId: row.user_id,
      lang: isLang(row.language) ? row.language : "en",
      caseSlug: row.case_slug,
      eventId: row.event_id,
      date: row.event_date,
      originalLang: isLang(row.original_lang) ? row.original_lang : "en",
      text: {
        ...(row.text_en ? { en: row.text_en } : {}),
        ...(row.text_ru ? { ru: row.text_ru } : {}),
        ...(row.text_kk ? { kk: row.text_kk } : {}),
      },
      sourceUrl: row.source_url,
    };
    const outcome = await this.send(notice);
    const now = Date.now();
    this.lastToChat.set(row.user_id, now);
    if (this.lastToChat.size > 10_000) this.lastToChat.clear();
    switch (outcome.kind) {
      case "sent":
        await store.markSent(this.db, row.id, new Date(now).toISOString());
        return;
      case "blocked":
        await store.markFinal(this.db, row.id, "blocked", outcome.error);
        await setUserActive(this.db, row.user_id, false);
        return;
      case "rate_limited":
        this.pausedUntil = now + outcome.retryAfterMs;
        this.log.warn("outbox: rate limited", { retry_after_ms: outcome.retryAfterMs });
        await store.reschedule(this.db, row.id, this.pausedUntil, outcome.error, false);
        return;
      case "failed": {
        const attempts = row.attempts + 1;
        if (outcome.permanent || attempts >= this.opts.maxAttempts) {
          await store.markFinal(this.db, row.id, "failed", outcome.error);
          this.log.warn("outbox: delivery failed for good", { delivery: row.id, attempts });
          return;
        }
        const backoff = Math.min(300_000, this.opts.retryBaseMs * 2 ** (attempts - 1));
        await store.reschedule(this.db, row.id, now + backoff, outcome.error, true);
      }
    }
  }
}

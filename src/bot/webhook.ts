import { type RunnerHandle, run } from "@grammyjs/runner";
import { type Bot, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import type { Context as HonoContext } from "hono";
import type { Logger } from "../logger.js";
import type { BotContext } from "./context.js";

/**
 * Webhook mode answers Telegram at once and works from an in-process queue.
 *
 * Why not hold the request until the update is handled (grammY's default, with a 10 s timeout that
 * throws and, unhandled, ended the process): one reply may legitimately take longer than any HTTP
 * timeout. Two 429s with `retry_after` 7 in front of it take 14 s; twenty lookups sent at once by one
 * reader queue behind each other (`sequentialize`) while Telegram allows one message a second in a
 * chat. Holding the request would (a) occupy one of Telegram's at most 40 connections per slow chat,
 * delaying every other reader; (b) make Telegram time out and deliver the same update again, and a
 * repeated update sends a repeated reply (sendMessage is not idempotent); (c) with a longer timeout
 * and a non-throwing `onTimeout`, still leave the work running unseen after the answer.
 *
 * So grammY's `webhookCallback` (the "hono" adapter: secret token check, JSON body, the answer) only
 * puts the update in a queue and answers 200 in milliseconds. The queue is drained by the same
 * `@grammyjs/runner` that serves polling mode (concurrent sink, `bot.catch` for errors, `size()` for
 * the drain on shutdown), so both modes handle updates the same way. The guarantee is the same as
 * polling's, where the runner confirms updates to Telegram before handling them: a graceful stop
 * finishes every update in hand; only a killed process loses the ones it held. When more than
 * `maxPending` updates are in hand the webhook answers 503, and Telegram delivers them again later.
 */
export interface WebhookIntake {
  /** The Hono handler for POST <webhook path>. */
  handle(c: HonoContext): Promise<Response>;
  /** Updates accepted and not yet finished. */
  pending(): number;
  /** Handles everything accepted so far (up to `timeoutMs`), then stops the runner. */
  drain(timeoutMs: number): Promise<void>;
}

/** A queue the runner reads as if it were getUpdates. */
class UpdateInbox {
  private readonly queue: Update[] = [];
  private wake: (() => void) | undefined;

  push(update: Update): void {
    this.queue.push(update);
    this.wake?.();
  }

  /** The runner's signal type comes from its own shim: only `aborted` and "abort" are used. */
  async take(limit: number, signal: Pick<AbortSignal, "aborted" | "addEventListener">): Promise<Update[]> {
    while (this.queue.length === 0) {
      if (signal.aborted) throw new Error("webhook intake stopped");
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
      this.wake = undefined;
    }
    return this.queue.splice(0, Math.max(1, limit));
  }
}

export function createWebhookIntake(
  bot: Bot<BotContext>,
  options: { secretToken: string; logger: Logger; maxPending?: number },
): WebhookIntake {
  const inbox = new UpdateInbox();
  const maxPending = options.maxPending ?? 10_000;
  /** Accepted and not finished: counted from the queue to the end of handling, with no gap between. */
  let inHand = 0;
  const runner: RunnerHandle = run({
    init: () => bot.init(),
    handleUpdate: (update: Update) => bot.handleUpdate(update).finally(() => inHand--),
    errorHandler: (err: unknown) => options.logger.error("update failed outside the error boundary", { err }),
    api: { getUpdates: (args, signal) => inbox.take(args.limit, signal as unknown as AbortSignal) },
  });
  // webhookCallback is given a stand-in whose handleUpdate only queues: it checks the secret token,
  // reads the body and answers; the runner above does the handling.
  const intake = {
    isRunning: () => false,
    init: () => bot.init(),
    handleUpdate: (update: Update) => {
      inHand++;
      inbox.push(update);
      return Promise.resolve();
    },
  };
  const callback = webhookCallback(intake as unknown as Bot<BotContext>, "hono", {
    secretToken: options.secretToken,
    onTimeout: "return",
  });
  const pending = () => inHand;
  return {
    pending,
    async handle(c) {
      if (pending() >= maxPending) {
        options.logger.warn("webhook busy: asking Telegram to deliver later", { pending: pending() });
        return c.text("busy", 503);
      }
      try {
        return (await callback(c)) as Response;
      } catch (err) {
        // Only a malformed body gets here (handleUpdate above never throws).
        options.logger.warn("webhook request refused", { err });
        return c.text("bad request", 400);
      }
    },
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (pending() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      if (runner.isRunning()) await runner.stop();
    },
  };
}

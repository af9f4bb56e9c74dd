import type { Update } from "grammy/types";
import { ApiError, optNum, type Params } from "./errors.js";
import type { EmulatorState } from "./state.js";

type End = (err?: ApiError) => void;

/** getUpdates with long polling; one active poll at a time like Telegram (the older one gets 409). */
export class Poller {
  private readonly active = new Set<End>();

  constructor(private readonly state: EmulatorState) {}

  getUpdates(p: Params, webhookActive: boolean, onClientGone: (fn: () => void) => void): Promise<Update[]> {
    if (webhookActive) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const { state } = this;
    const offset = optNum(p, "offset") ?? 0;
    const limit = Math.min(100, Math.max(1, optNum(p, "limit") ?? 100));
    const timeout = Math.max(0, optNum(p, "timeout") ?? 0);
    if (offset > 0) state.confirm(offset);
    else if (offset < 0 && state.updates.length > -offset) {
      const first = state.updates[state.updates.length + offset];
      if (first) state.confirm(first.update_id);
    }
    // A newer long poll terminates the older one with 409 like Telegram. A short poll (timeout 0) just ends it
    // with [] — grammY's bot.stop() sends one right after aborting its long poll, often before we see the abort.
    const conflict = timeout > 0
      ? new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
      : undefined;
    for (const end of [...this.active]) end(conflict);
    const take = (): Update[] | undefined => (state.updates.length > 0 ? state.updates.slice(0, limit) : undefined);
    const now = take();
    if (now || timeout === 0) return Promise.resolve(now ?? []);
    return new Promise<Update[]>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        off();
        this.active.delete(end);
      };
      const end: End = (err) => {
        cleanup();
        if (err) reject(err);
        else resolve([]);
      };
      const off = state.onChange(() => {
        const u = take();
        if (!u) return;
        cleanup();
        resolve(u);
      });
      const timer = setTimeout(() => end(), timeout * 1000);
      this.active.add(end);
      state.notify();
      onClientGone(() => end());
    });
  }

  /** Long polls held open right now: a bot that is up and waiting for updates has one. */
  get waiting(): number {
    return this.active.size;
  }

  /** Answers every pending long poll with an empty result. */
  endAll(): void {
    for (const end of [...this.active]) end();
  }
}

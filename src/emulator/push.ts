import type { Update } from "grammy/types";
import type { EmulatorState } from "./state.js";

export interface PushTarget {
  url: string;
  secretToken?: string;
}

/** Webhook mode: POSTs queued updates one by one to the target, in order; 3 attempts each. */
export class Pusher {
  target: PushTarget | undefined;
  lastError: { date: number; message: string } | undefined;
  private running = false;
  private off: (() => void) | undefined;
  private readonly abort = new AbortController();

  /** onReply runs a method the webhook answered with (webhook reply), e.g. {method:"sendMessage",...}. */
  constructor(
    private readonly state: EmulatorState,
    private readonly onReply: (body: Record<string, unknown>) => Promise<void>,
  ) {}

  start(target: PushTarget): void {
    this.target = { ...target };
    this.off ??= this.state.onChange(() => void this.kick());
    void this.kick();
  }

  clear(): void {
    this.target = undefined;
    this.off?.();
    this.off = undefined;
  }

  shutdown(): void {
    this.clear();
    this.abort.abort();
  }

  private async kick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      let failures = 0;
      while (this.target && this.state.updates.length > 0 && !this.abort.signal.aborted) {
        const update = this.state.updates[0] as Update;
        const error = await this.post(this.target, update);
        if (error === undefined || ++failures >= 3) {
          failures = 0;
          this.state.confirm(update.update_id + 1);
        } else {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async post(target: PushTarget, update: Update): Promise<string | undefined> {
    try {
      const res = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(target.secretToken ? { "X-Telegram-Bot-Api-Secret-Token": target.secretToken } : {}),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(10_000)]),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`Wrong response from the webhook: ${res.status} ${res.statusText}`);
      if (text.trim().startsWith("{")) {
        const body = JSON.parse(text) as Record<string, unknown>;
        if (typeof body["method"] === "string") await this.onReply(body);
      }
      return undefined;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.lastError = { date: Math.floor(Date.now() / 1000), message };
      return message;
    }
  }
}

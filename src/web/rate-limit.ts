import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";

export interface RateLimit {
  /** Requests allowed per window and address. */
  limit: number;
  windowMs: number;
}

/** The address of the connection. X-Forwarded-For is not trusted: anyone can write it. */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** A fixed-window counter per address, in this process's memory (each web process limits on its own). */
export class RateCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = Date.now();

  constructor(readonly rule: RateLimit) {}

  /** Counts a request; returns 0 when it is allowed, else the seconds until it would be. */
  hit(key: string, now = Date.now()): number {
    if (now - this.lastSweep > this.rule.windowMs) {
      for (const [k, w] of this.windows) if (now - w.start >= this.rule.windowMs) this.windows.delete(k);
      this.lastSweep = now;
    }
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.rule.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (++w.count <= this.rule.limit) return 0;
    return Math.max(1, Math.ceil((w.start + this.rule.windowMs - now) / 1000));
  }
}

/** Over the limit: 429 with Retry-After; `refuse` shapes the answer (JSON for the API, a page for search). */
export function rateLimit(counter: RateCounter, refuse: (c: Context, retryAfterSeconds: number) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    const retry = counter.hit(clientAddress(c));
    if (retry > 0) {
      c.header("Retry-After", String(retry));
      c.header("Cache-Control", "no-store");
      return refuse(c, retry);
    }
    await next();
  };
}

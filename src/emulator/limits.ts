import { ApiError, type ResponseParameters } from "./errors.js";

export interface FaultSpec {
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

export interface RateLimits {
  /** sendMessage per second across all chats. */
  global?: number;
  /** sendMessage per second per chat. */
  perChat?: number;
}

/** Injected failures (failNext) and users who blocked the bot. */
export class Faults {
  private readonly pending = new Map<string, FaultSpec[]>();
  readonly blocked = new Set<number>();

  failNext(method: string, spec: FaultSpec, count = 1): void {
    const key = method.toLowerCase();
    const list = this.pending.get(key) ?? [];
    for (let k = 0; k < count; k++) list.push(spec);
    this.pending.set(key, list);
  }

  /** The injected error for this call, if one is queued. */
  take(method: string): ApiError | undefined {
    const spec = this.pending.get(method.toLowerCase())?.shift();
    return spec && new ApiError(spec.error_code, spec.description, spec.parameters, true);
  }

  assertNotBlocked(chatId: number): void {
    if (this.blocked.has(chatId)) throw new ApiError(403, "Forbidden: bot was blocked by the user");
  }

  clear(): void {
    this.pending.clear();
    this.blocked.clear();
  }
}

/** Sliding one-second windows, per chat and global. Off until limits are set. */
export class RateLimiter {
  private limits: RateLimits = {};
  private global: number[] = [];
  private readonly perChat = new Map<number, number[]>();

  set(limits: RateLimits): void {
    this.limits = { ...limits };
  }

  /** Throws 429 when a send to chatId now would exceed a limit; otherwise records the send. */
  acquire(chatId: number, now = Date.now()): void {
    const { global, perChat } = this.limits;
    if (!global && !perChat) return;
    const cutoff = now - 1000;
    this.global = this.global.filter((t) => t > cutoff);
    const chat = (this.perChat.get(chatId) ?? []).filter((t) => t > cutoff);
    this.perChat.set(chatId, chat);
    const check = (hits: number[], limit: number | undefined): void => {
      if (!limit || hits.length < limit) return;
      const oldest = hits[hits.length - limit] ?? now;
      const retry = Math.max(1, Math.ceil((oldest + 1000 - now) / 1000));
      throw new ApiError(429, `Too Many Requests: retry after ${retry}`, { retry_after: retry });
    };
    check(chat, perChat);
    check(this.global, global);
    chat.push(now);
    this.global.push(now);
  }

  reset(): void {
    this.limits = {};
    this.global = [];
    this.perChat.clear();
  }
}

import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/emulator/errors.js";
import { Faults, RateLimiter } from "../../src/emulator/limits.js";

/**
 * The emulator holds the bot to Telegram's limits as the benchmark and the send-budget tests assume:
 * 30 messages in any second overall, 1 in any second per chat, answered with 429 and retry_after; and
 * it answers 429 or 403 when told to.
 */
const refused = (f: () => void): ApiError | undefined => {
  try {
    f();
    return undefined;
  } catch (err) {
    return err as ApiError;
  }
};

describe("emulator limits", () => {
  it("allows 30 messages in any second overall and answers the 31st with 429 and retry_after", () => {
    const l = new RateLimiter();
    l.set({ global: 30, perChat: 1 });
    const t0 = 1_000_000;
    for (let i = 0; i < 30; i++) l.acquire(100 + i, t0 + i * 10);
    const err = refused(() => l.acquire(500, t0 + 990));
    expect(err).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    // A sliding second: once the first send is a second old, one more may go.
    expect(refused(() => l.acquire(501, t0 + 1001))).toBeUndefined();
    expect(refused(() => l.acquire(502, t0 + 1005))).toMatchObject({ error_code: 429 });
  });

  it("allows one message a second in a chat, other chats unaffected", () => {
    const l = new RateLimiter();
    l.set({ global: 30, perChat: 1 });
    const t0 = 2_000_000;
    l.acquire(7, t0);
    expect(refused(() => l.acquire(7, t0 + 999))).toMatchObject({ error_code: 429, description: "Too Many Requests: retry after 1" });
    expect(refused(() => l.acquire(8, t0 + 999))).toBeUndefined();
    expect(refused(() => l.acquire(7, t0 + 1001))).toBeUndefined();
  });

  it("answers 429 or 403 when told to", () => {
    const f = new Faults();
    f.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } });
    expect(f.take("sendMessage")).toMatchObject({ error_code: 429, parameters: { retry_after: 7 } });
    expect(f.take("sendMessage")).toBeUndefined();
    f.blocked.add(9);
    expect(refused(() => f.assertNotBlocked(9))).toMatchObject({ error_code: 403 });
    expect(refused(() => f.assertNotBlocked(10))).toBeUndefined();
  });
});

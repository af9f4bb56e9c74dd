import { createRequire } from "node:module";
import type { SendBudget } from "../services/notifications/budget.js";

/** Methods that put a message into a chat: Telegram counts these against 30 a second and 1 per chat. */
const SENDS = /^(send(?!ChatAction$)|copyMessages?$|forwardMessages?$)/;

type Fetch = typeof fetch;

/** grammY's own HTTP client on Node (node-fetch 2), for when no other is given. */
export function grammyDefaultFetch(): Fetch {
  const nodeFetch = createRequire(import.meta.url)("node-fetch") as Fetch & { default?: Fetch };
  return nodeFetch.default ?? nodeFetch;
}

/**
 * The bot's replies draw from the one send budget at the one place every real request passes: the
 * HTTP client of the bot's Api (grammY's `client.fetch` option). The Api of every update and the Api
 * conversations build for themselves inherit it, so replies, staff messages and conversation steps are
 * all counted, wherever they are sent from.
 *
 * Why not an API transformer: inside conversations the plugin's transformers wrap the conversation's
 * own replay transformer, so they would see every replayed call of every step again (calls that never
 * reach Telegram) and hold each one a second for its chat. Auto-retry stays a transformer, outside:
 * each retry comes through here again and waits for its slot. A 429 that comes anyway is told to the
 * budget, which holds back that chat (or, for several chats at once, the bot) for `retry_after`.
 */
export function budgetedFetch(budget: SendBudget, base: Fetch = grammyDefaultFetch()): Fetch {
  return (async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf("/") + 1);
    if (!SENDS.test(method)) return base(input, init);
    const chat = chatOf(init?.body);
    const done = await budget.acquire("interactive", chat, init?.signal ?? undefined);
    let res: Response;
    try {
      res = await base(input, init);
    } finally {
      done();
    }
    if (res.status === 429) {
      const body = (await res
        .clone()
        .json()
        .catch(() => undefined)) as { parameters?: { retry_after?: number } } | undefined;
      budget.rateLimited(chat, (body?.parameters?.retry_after ?? 1) * 1000);
    }
    return res;
  }) as Fetch;
}

/** The chat of a JSON request body (grammY sends JSON unless it uploads a file; then: unknown). */
function chatOf(body: unknown): number | undefined {
  if (typeof body !== "string") return undefined;
  try {
    const raw = (JSON.parse(body) as { chat_id?: unknown }).chat_id;
    if (typeof raw === "number") return raw;
    if (typeof raw === "string" && /^-?\d+$/.test(raw)) return Number(raw);
  } catch {
    // not JSON
  }
  return undefined;
}

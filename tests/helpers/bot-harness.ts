import { afterEach, expect } from "vitest";
import type { Update, UserFromGetMe } from "grammy/types";
import { type App, createApp } from "../../src/app.js";
import { SendBudget } from "../../src/services/notifications/budget.js";
import type { RateLimits } from "../../src/bot/middleware/rate-limit.js";
import type { DatabaseConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logger.js";
import { telegramProblem } from "./telegram-rules.js";

export const BOT_INFO: UserFromGetMe = {
  id: 1000001,
  is_bot: true,
  first_name: "Case bot",
  username: "kz_case_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  /** Uploaded files of a multipart call (sendPhoto with an InputFile), by their attach:// id. */
  files?: Record<string, Buffer>;
}

export interface Harness {
  app: App;
  calls: ApiCall[];
  /**
   * Every call Telegram would refuse (invalid HTML, too long, bad buttons…), as "method: reason"; such
   * a call is not in `calls`. Checked (and emptied) after every test and again by `close()`; `strict: false` turns it off.
   */
  problems: string[];
  /**
   * Runs the outbox until nothing is due within 2 s: followers' notices and the messages to authors
   * and staff (every one of them goes through the outbox). Returns the calls it made.
   */
  deliver(): Promise<ApiCall[]>;
  /**
   * Sends a message from a user, in their private chat unless `chat` is a group (see `group`);
   * returns the calls the bot made while handling it.
   */
  send(text: string, from?: Partial<TestUser>, chat?: TestChat): Promise<ApiCall[]>;
  /** Presses a button under a message in the user's private chat, or in `chat`. */
  press(data: string, from?: Partial<TestUser>, messageId?: number, chat?: TestChat): Promise<ApiCall[]>;
  inline(query: string, from?: Partial<TestUser>): Promise<ApiCall[]>;
  close(): Promise<void>;
}

export interface TestUser {
  id: number;
  language_code: string;
  first_name: string;
}

/** A group chat a test sends from. */
export interface TestChat {
  id: number;
  type: "group" | "supergroup";
  title: string;
}

export function group(id = -100_200_300, title = "Readers"): TestChat {
  return { id, type: "supergroup", title };
}

const NO_LIMIT = { limit: 1_000_000, windowMs: 60_000 };
const UNLIMITED: RateLimits = { lookups: NO_LIMIT, inline: NO_LIMIT, submissions: NO_LIMIT };

const DEFAULT_USER: TestUser = { id: 501, language_code: "en", first_name: "Reader" };

/**
 * Level-2 tests: the real bot and services on an in-memory SQLite, with grammY's `client.fetch`
 * replaced by a recorder that answers like the Bot API. Nothing leaves the process.
 */
export async function createHarness(
  opts: {
    adminIds?: number[];
    strict?: boolean;
    /** Answers Telegram's error for a call, or undefined to go on. */
    refuse?: (call: ApiCall) => string | undefined;
    /** Another database than an in-memory SQLite (a PostgreSQL server). */
    database?: DatabaseConfig;
    /** Per-user limits; unlimited unless a test is about them. */
    rateLimits?: RateLimits;
    /** PUBLIC_URL: an https one turns on the Mini App buttons. */
    publicUrl?: string;
  } = {},
): Promise<Harness> {
  const calls: ApiCall[] = [];
  const problems: string[] = [];
  let messageId = 100;
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf("/") + 1);
    const call = await readCall(method, init);
    const { payload } = call;
    const refused = opts.refuse?.(call);
    if (refused !== undefined) {
      // A refusal the test asked for is part of what the bot did: recorded.
      calls.push(call);
      return new Response(JSON.stringify({ ok: false, error_code: 400, description: refused }), { status: 400 });
    }
    const problem = opts.strict === false ? undefined : telegramProblem({ method, payload });
    if (problem !== undefined) {
      // A message Telegram would refuse was not sent: it is a problem, never a recorded call.
      problems.push(`${method}: ${problem}`);
      return new Response(JSON.stringify({ ok: false, error_code: 400, description: problem }), { status: 400 });
    }
    calls.push(call);
    let result: unknown = true;
    if (method === "sendMessage" || method === "editMessageText") {
      result = {
        message_id: method === "sendMessage" ? ++messageId : Number(payload["message_id"] ?? 0),
        date: Math.floor(Date.now() / 1000),
        chat: chatOf(payload["chat_id"]),
        text: payload["text"],
      };
    }
    if (method === "sendPhoto") {
      const upload = Object.values(call.files ?? {})[0];
      const fileId = upload ? `photo-${upload.length}` : String(payload["photo"]);
      result = {
        message_id: ++messageId,
        date: Math.floor(Date.now() / 1000),
        chat: chatOf(payload["chat_id"]),
        photo: [{ file_id: fileId, file_unique_id: fileId, width: 640, height: 480 }],
        caption: payload["caption"],
      };
    }
    return new Response(JSON.stringify({ ok: true, result }), { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof fetch;

  const app = await createApp(
    { botToken: "123:test", apiRoot: "http://127.0.0.1:9", database: opts.database ?? { kind: "sqlite", file: ":memory:" }, adminIds: opts.adminIds ?? [], ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}) },
    createLogger("silent"),
    // The recorder is no Telegram: no send budget to keep (tests of the budget make their own).
    { botInfo: BOT_INFO, fetch: fakeFetch, rateLimits: opts.rateLimits ?? UNLIMITED, budget: new SendBudget({ perSecond: 1_000_000, slots: 1_000_000, perChatGapMs: 0 }) },
  );

  let updateId = 1;
  const run = async (update: Omit<Update, "update_id">): Promise<ApiCall[]> => {
    const start = calls.length;
    await app.bot.handleUpdate({ update_id: updateId++, ...update } as Update);
    return calls.slice(start);
  };
  const user = (from?: Partial<TestUser>) => ({ ...DEFAULT_USER, ...from, is_bot: false as const });

  const harness: Harness = {
    app,
    calls,
    problems,
    deliver: async () => {
      const before = calls.length;
      app.worker.start();
      for (let i = 0; i < 250; i++) {
        const due = await app.db.selectFrom("deliveries").select("id").where("status", "=", "pending").where("next_attempt_at", "<=", Date.now() + 2000).execute();
        if (due.length === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await app.worker.stop();
      return calls.slice(before);
    },
    send: (text, from, chat) => {
      const u = user(from);
      const entities = text.startsWith("/")
        ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }]
        : undefined;
      return run({
        message: {
          message_id: updateId,
          date: Math.floor(Date.now() / 1000),
          chat: chat ?? { id: u.id, type: "private", first_name: u.first_name },
          from: u,
          text,
          ...(entities ? { entities } : {}),
        },
      });
    },
    press: (data, from, mid = 42, chat) => {
      const u = user(from);
      return run({
        callback_query: {
          id: `cq${updateId}`,
          from: u,
          chat_instance: "ci",
          data,
          message: {
            message_id: mid,
            date: Math.floor(Date.now() / 1000),
            chat: chat ?? { id: u.id, type: "private", first_name: u.first_name },
            text: "…",
          },
        },
      });
    },
    inline: (query, from) => run({ inline_query: { id: `iq${updateId}`, from: user(from), query, offset: "" } }),
    close: async () => {
      // A file that closes its harness in its own afterEach runs that hook before the check below:
      // whatever is left unchecked fails here instead of going unseen.
      live.delete(harness);
      const left = problems.splice(0);
      await app.close();
      expect(left, "calls Telegram would refuse").toEqual([]);
    },
  };
  live.add(harness);
  return harness;
}

/** The chat of a sent message as Telegram describes it: negative ids are groups. */
function chatOf(chatId: unknown): { id: number; type: "private" | "supergroup"; title?: string } {
  const id = Number(chatId);
  return id < 0 ? { id, type: "supergroup", title: "Group" } : { id, type: "private" };
}

/** Every harness alive: after each test, none may have made a call Telegram would refuse. */
const live = new Set<Harness>();
afterEach(() => {
  for (const h of live) expect(h.problems.splice(0), "calls Telegram would refuse").toEqual([]);
});

/** grammY sends JSON, or multipart/form-data (a Node stream) when a file is uploaded. */
async function readCall(method: string, init: RequestInit | undefined): Promise<ApiCall> {
  const body = init?.body;
  if (!body) return { method, payload: {} };
  if (typeof body === "string") return { method, payload: JSON.parse(body) as Record<string, unknown> };
  const chunks: Buffer[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  const raw = Buffer.concat(chunks);
  const type = new Headers(init.headers).get("content-type") ?? "";
  const boundary = /boundary=([^;]+)/.exec(type)?.[1];
  if (!boundary) throw new Error(`${method}: a body that is neither JSON nor multipart`);
  const payload: Record<string, unknown> = {};
  const files: Record<string, Buffer> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const next = raw.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = raw.subarray(at + delimiter.length + 2, next - 2); // past "\r\n", before "\r\n"
    const split = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, split).toString("utf8");
    const content = part.subarray(split + 4);
    const name = /name="([^"]+)"/.exec(head)?.[1] ?? "";
    if (/filename=/.test(head)) files[name] = Buffer.from(content);
    else {
      const text = content.toString("utf8");
      payload[name] = /^[[{]/.test(text) ? JSON.parse(text) : text;
    }
    at = next;
  }
  return { method, payload, files };
}

/** The texts the bot sent or edited, in order. */
export function texts(calls: ApiCall[]): string[] {
  return calls
    .filter((c) => c.method === "sendMessage" || c.method === "editMessageText")
    .map((c) => String(c.payload["text"]));
}

export function buttons(call: ApiCall | undefined): Array<{ text: string; callback_data?: string; switch_inline_query?: string; url?: string }> {
  const markup = call?.payload["reply_markup"] as { inline_keyboard?: Array<Array<Record<string, string>>> } | undefined;
  return (markup?.inline_keyboard ?? []).flat() as Array<{ text: string; callback_data?: string }>;
}

export function lastReply(calls: ApiCall[]): ApiCall | undefined {
  return calls.filter((c) => c.method === "sendMessage" || c.method === "editMessageText").at(-1);
}

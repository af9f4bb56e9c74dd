import type { Update, UserFromGetMe } from "grammy/types";
import { type App, createApp } from "../../src/app.js";
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
}

export interface Harness {
  app: App;
  calls: ApiCall[];
  /** With `strict`, every call Telegram would refuse (invalid HTML, too long, bad buttons…), as "method: reason". */
  problems: string[];
  /** Sends a private message from a user; returns the calls the bot made while handling it. */
  send(text: string, from?: Partial<TestUser>): Promise<ApiCall[]>;
  press(data: string, from?: Partial<TestUser>, messageId?: number): Promise<ApiCall[]>;
  inline(query: string, from?: Partial<TestUser>): Promise<ApiCall[]>;
  close(): Promise<void>;
}

export interface TestUser {
  id: number;
  language_code: string;
  first_name: string;
}

const DEFAULT_USER: TestUser = { id: 501, language_code: "en", first_name: "Reader" };

/**
 * Level-2 tests: the real bot and services on an in-memory SQLite, with grammY's `client.fetch`
 * replaced by a recorder that answers like the Bot API. Nothing leaves the process.
 */
export async function createHarness(opts: { adminIds?: number[]; strict?: boolean } = {}): Promise<Harness> {
  const calls: ApiCall[] = [];
  const problems: string[] = [];
  let messageId = 100;
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf("/") + 1);
    const payload = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
    calls.push({ method, payload });
    const problem = opts.strict ? telegramProblem({ method, payload }) : undefined;
    if (problem !== undefined) {
      problems.push(`${method}: ${problem}`);
      return new Response(JSON.stringify({ ok: false, error_code: 400, description: problem }), { status: 400 });
    }
    let result: unknown = true;
    if (method === "sendMessage" || method === "editMessageText") {
      result = {
        message_id: method === "sendMessage" ? ++messageId : Number(payload["message_id"] ?? 0),
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(payload["chat_id"]), type: "private" },
        text: payload["text"],
      };
    }
    return new Response(JSON.stringify({ ok: true, result }), { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof fetch;

  const app = await createApp(
    { botToken: "123:test", apiRoot: "http://127.0.0.1:9", database: { kind: "sqlite", file: ":memory:" }, adminIds: opts.adminIds ?? [] },
    createLogger("silent"),
    { botInfo: BOT_INFO, fetch: fakeFetch },
  );

  let updateId = 1;
  const run = async (update: Omit<Update, "update_id">): Promise<ApiCall[]> => {
    const start = calls.length;
    await app.bot.handleUpdate({ update_id: updateId++, ...update } as Update);
    return calls.slice(start);
  };
  const user = (from?: Partial<TestUser>) => ({ ...DEFAULT_USER, ...from, is_bot: false as const });

  return {
    app,
    calls,
    problems,
    send: (text, from) => {
      const u = user(from);
      const entities = text.startsWith("/")
        ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }]
        : undefined;
      return run({
        message: {
          message_id: updateId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: u.id, type: "private", first_name: u.first_name },
          from: u,
          text,
          ...(entities ? { entities } : {}),
        },
      });
    },
    press: (data, from, mid = 42) => {
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
            chat: { id: u.id, type: "private", first_name: u.first_name },
            text: "…",
          },
        },
      });
    },
    inline: (query, from) => run({ inline_query: { id: `iq${updateId}`, from: user(from), query, offset: "" } }),
    close: () => app.close(),
  };
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

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";
import { parseParams, readBody } from "./body.js";
import { ApiError, type Params } from "./errors.js";
import { Faults, type FaultSpec, RateLimiter, type RateLimits } from "./limits.js";
import { handlers, type MethodContext } from "./methods.js";
import { Poller } from "./polling.js";
import { Pusher } from "./push.js";
import { type MessageView, SimUser } from "./sim-user.js";
import { type CallRecord, EmulatorState } from "./state.js";

export interface EmulatorOptions {
  /** 0 (default) = random free port */
  port?: number;
  botUsername?: string;
  /** Reject sends to chats no user has written from with 400 "chat not found" (default: auto-create). */
  strictChats?: boolean;
}

export interface SimUserInit {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

const METHODS = new Map([...Object.keys(handlers), "getUpdates"].map((m) => [m.toLowerCase(), m]));

/** Local Telegram Bot API: `${apiRoot}/bot<token>/<method>` on 127.0.0.1. */
export class BotApiEmulator {
  readonly state: EmulatorState;
  private readonly faults = new Faults();
  private readonly limiter = new RateLimiter();
  private readonly poller: Poller;
  private readonly pusher: Pusher;
  private readonly ctx: MethodContext;
  private readonly users = new Map<number, SimUser>();
  private server!: Server;
  private stopped = false;
  port = 0;

  private constructor(opts: EmulatorOptions) {
    const botInfo = {
      id: 1000001,
      is_bot: true,
      first_name: "Case bot",
      username: opts.botUsername ?? "kz_case_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
      can_connect_to_business: false,
      has_main_web_app: false,
    } as UserFromGetMe;
    this.state = new EmulatorState(botInfo);
    this.poller = new Poller(this.state);
    this.pusher = new Pusher(this.state, (body) => this.webhookReply(body));
    this.ctx = {
      state: this.state,
      faults: this.faults,
      limiter: this.limiter,
      strictChats: opts.strictChats ?? false,
      webhook: {
        set: (url, secretToken) => this.pushUpdatesTo(url, secretToken),
        clear: () => this.pushUpdatesTo(null),
        info: () => ({
          url: this.pusher.target?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: this.state.updates.length,
          max_connections: 40,
          ...(this.pusher.lastError ? { last_error_date: this.pusher.lastError.date, last_error_message: this.pusher.lastError.message } : {}),
        }),
      },
    };
  }

  static async start(opts: EmulatorOptions = {}): Promise<BotApiEmulator> {
    const emu = new BotApiEmulator(opts);
    emu.server = createServer((req, res) => void emu.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      emu.server.once("error", reject);
      emu.server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
    });
    emu.port = (emu.server.address() as AddressInfo).port;
    return emu;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get calls(): readonly CallRecord[] {
    return this.state.calls;
  }
  get errors(): readonly CallRecord[] {
    return this.state.errors;
  }
  get pendingUpdates(): number {
    return this.state.updates.length;
  }
  get confirmedOffset(): number {
    return this.state.confirmedOffset;
  }
  get tokens(): string[] {
    return [...this.state.tokens];
  }

  /** A simulated user (same object for the same id; given fields are updated). */
  user(init: SimUserInit): SimUser {
    const given = Object.fromEntries(Object.entries(init).filter(([, v]) => v !== undefined)) as SimUserInit;
    const info = this.state.ensureUser({ first_name: `User ${init.id}`, ...this.state.users.get(init.id), ...given });
    let u = this.users.get(init.id);
    if (!u) {
      u = new SimUser(this.state, info);
      this.users.set(init.id, u);
    } else Object.assign(u.info, info);
    return u;
  }

  /** Bot messages in any chat (current state). */
  chatMessages(chatId: number): MessageView[] {
    return this.state.botMessages(chatId).map((m) => structuredClone(m));
  }

  /** First call of `method` (matching pred) logged at index ≥ since (default: after this call). */
  /** Resolves once a long poll is held open: the bot has started and is waiting for updates. */
  waitForPoll(timeoutMs = 5000): Promise<true> {
    return this.state.waitFor(
      () => (this.poller.waiting > 0 ? true : undefined),
      timeoutMs,
      () => `Timed out after ${timeoutMs}ms waiting for a getUpdates long poll`,
    );
  }

  waitForCall(method: string, pred?: (c: CallRecord) => boolean, timeoutMs = 5000, since = this.state.calls.length): Promise<CallRecord> {
    return this.state.waitFor(
      () => this.state.calls.slice(since).find((c) => c.method === method && (!pred || pred(c))),
      timeoutMs,
      () => `Timed out after ${timeoutMs}ms waiting for a ${method} call. Last calls: ${this.state.calls.slice(-8).map((c) => `${c.method}→${c.status}`).join(", ") || "(none)"}`,
    );
  }

  blockBot(userId: number): void {
    this.faults.blocked.add(userId);
  }
  unblockBot(userId: number): void {
    this.faults.blocked.delete(userId);
  }
  failNext(method: string, spec: FaultSpec, count = 1): void {
    this.faults.failNext(method, spec, count);
  }
  setRateLimits(limits: RateLimits): void {
    this.limiter.set(limits);
  }
  /** Successful sendMessage calls to chatId. */
  deliveries(chatId: number): number {
    return this.state.findChat(chatId)?.deliveries ?? 0;
  }
  sentTo(chatId: number): number {
    return this.deliveries(chatId);
  }

  /** Webhook mode: POST updates to url instead of queueing for getUpdates; null switches back. */
  pushUpdatesTo(url: string | null, secretToken?: string): void {
    if (url) this.pusher.start({ url, ...(secretToken ? { secretToken } : {}) });
    else this.pusher.clear();
  }

  /** Enqueue a raw update (update_id assigned). */
  enqueue(update: Omit<Update, "update_id">): Update {
    return this.state.enqueue(update);
  }

  /** Forget logged calls/errors and clear faults and rate limits. */
  reset(): void {
    this.state.calls.length = 0;
    this.state.errors.length = 0;
    this.faults.clear();
    this.limiter.reset();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.poller.endAll();
    this.pusher.shutdown();
    await new Promise((r) => setImmediate(r));
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 10));
    this.server.closeAllConnections();
    await closed;
  }

  private async call(method: string, params: Params, token: string, onClientGone: (fn: () => void) => void): Promise<{ status: number; body: Record<string, unknown> }> {
    let status = 200;
    let body: Record<string, unknown>;
    let injected = false;
    try {
      const canonical = METHODS.get(method.toLowerCase());
      if (!canonical) throw new ApiError(404, "Not Found: method not found");
      method = canonical;
      const fault = this.faults.take(canonical);
      if (fault) throw fault;
      const result =
        canonical === "getUpdates"
          ? await this.poller.getUpdates(params, this.pusher.target !== undefined, onClientGone)
          : await (handlers[canonical] as (p: Params, c: MethodContext) => unknown)(params, this.ctx);
      body = { ok: true, result };
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, `Internal Server Error: ${e instanceof Error ? e.message : String(e)}`);
      status = err.error_code;
      injected = err.injected;
      body = { ok: false, error_code: err.error_code, description: err.description, ...(err.parameters ? { parameters: err.parameters } : {}) };
    }
    this.state.log({
      method,
      params,
      at: Date.now(),
      status,
      ok: status === 200,
      ...(status === 200 ? { result: body["result"] } : { description: String(body["description"]) }),
      token,
      injected,
    });
    return { status, body };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown): void => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const route = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(url.pathname);
      const raw = await readBody(req);
      if (!route) return send(404, { ok: false, error_code: 404, description: "Not Found" });
      const token = decodeURIComponent(route[1] ?? "");
      this.state.tokens.add(token);
      let params: Params;
      try {
        params = parseParams(url.searchParams, raw, req.headers["content-type"]);
      } catch (e) {
        const err = e as ApiError;
        return send(400, { ok: false, error_code: 400, description: err.description });
      }
      const onClientGone = (fn: () => void): void => {
        res.once("close", () => {
          if (!res.writableEnded) fn();
        });
      };
      const { status, body } = await this.call(route[2] ?? "", params, token, onClientGone);
      send(status, body);
    } catch (e) {
      send(500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(e)}` });
    }
  }

  private async webhookReply(body: Record<string, unknown>): Promise<void> {
    const { method, ...params } = body;
    await this.call(String(method), params, [...this.state.tokens].at(-1) ?? "", () => {});
  }
}

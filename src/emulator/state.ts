import type { Message, MessageEntity, Update, UserFromGetMe } from "grammy/types";

export interface UserInfo {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** A message in a chat, current state after edits. `plain` is the visible text (tags removed, entities decoded). */
export interface StoredMessage {
  seq: number;
  chat_id: number;
  message_id: number;
  date: number;
  from_bot: boolean;
  text: string;
  parse_mode?: string;
  plain: string;
  entities: MessageEntity[];
  reply_markup?: Record<string, unknown>;
  /** A photo message: its file id and the size of the upload; `text`/`plain` then hold the caption. */
  photo?: { file_id: string; size: number };
  edits: number;
  edit_date?: number;
  deleted: boolean;
}

export interface ChatInfo {
  id: number;
  type: "private" | "group" | "supergroup";
  user?: UserInfo;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  deliveries: number;
}

export interface CallRecord {
  method: string;
  params: Record<string, unknown>;
  at: number;
  status: number;
  ok: boolean;
  description?: string;
  result?: unknown;
  token: string;
  /** true when the error came from failNext */
  injected: boolean;
}

export interface QueryRecord {
  id: string;
  userId: number;
  createdAt: number;
  answer?: Record<string, unknown>;
}

/** Chats, messages, the update queue and the call log; every mutation calls notify() so waiters re-check. */
export class EmulatorState {
  /** File ids of photos uploaded so far, with their sizes: a photo may be sent again by its id. */
  readonly files = new Map<string, number>();
  readonly users = new Map<number, UserInfo>();
  readonly chats = new Map<number, ChatInfo>();
  readonly updates: Update[] = [];
  readonly calls: CallRecord[] = [];
  readonly errors: CallRecord[] = [];
  readonly callbackQueries = new Map<string, QueryRecord>();
  readonly inlineQueries = new Map<string, QueryRecord>();
  /** setMyCommands, menu buttons, descriptions… keyed by method-specific strings. */
  readonly settings = new Map<string, unknown>();
  readonly tokens = new Set<string>();
  nextUpdateId = 1;
  confirmedOffset = 0;
  seq = 0;
  private querySeq = 0;
  private readonly listeners = new Set<() => void>();

  constructor(readonly botInfo: UserFromGetMe) {}

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  notify(): void {
    for (const fn of [...this.listeners]) fn();
  }

  /** Resolves with the first defined check() result, re-checking after every change. */
  waitFor<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const first = check();
    if (first !== undefined) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(describe()));
      }, timeoutMs);
      const off = this.onChange(() => {
        const v = check();
        if (v === undefined) return;
        clearTimeout(timer);
        off();
        resolve(v);
      });
    });
  }

  ensureUser(info: UserInfo): UserInfo {
    const merged = { ...this.users.get(info.id), ...info };
    this.users.set(info.id, merged);
    const chat = this.chats.get(info.id);
    if (chat) chat.user = merged;
    return merged;
  }

  findChat(chatId: number): ChatInfo | undefined {
    return this.chats.get(chatId);
  }

  /** Gets or creates a chat: positive ids are private chats with that user. */
  chat(chatId: number): ChatInfo {
    let chat = this.chats.get(chatId);
    if (!chat) {
      const type = chatId > 0 ? "private" : chatId < -1_000_000_000_000 ? "supergroup" : "group";
      chat = { id: chatId, type, nextMessageId: 1, messages: new Map(), deliveries: 0 };
      if (type === "private") chat.user = this.users.get(chatId) ?? this.ensureUser({ id: chatId, first_name: `User ${chatId}` });
      this.chats.set(chatId, chat);
    }
    return chat;
  }

  enqueue(update: Omit<Update, "update_id">): Update {
    const full = { update_id: this.nextUpdateId++, ...update } as Update;
    this.updates.push(full);
    this.notify();
    return full;
  }

  /** Removes updates below offset (getUpdates confirmation). */
  confirm(offset: number): void {
    if (offset <= this.confirmedOffset) return;
    this.confirmedOffset = offset;
    const keep = this.updates.filter((u) => u.update_id >= offset);
    if (keep.length === this.updates.length) return;
    this.updates.splice(0, this.updates.length, ...keep);
    this.notify();
  }

  addMessage(chatId: number, fields: Omit<StoredMessage, "seq" | "chat_id" | "message_id" | "date" | "edits" | "deleted">): StoredMessage {
    const chat = this.chat(chatId);
    const msg: StoredMessage = {
      seq: ++this.seq,
      chat_id: chatId,
      message_id: chat.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      edits: 0,
      deleted: false,
      ...fields,
    };
    chat.messages.set(msg.message_id, msg);
    return msg;
  }

  botMessages(chatId: number, includeDeleted = false): StoredMessage[] {
    const chat = this.chats.get(chatId);
    if (!chat) return [];
    return [...chat.messages.values()].filter((m) => m.from_bot && (includeDeleted || !m.deleted));
  }

  nextQueryId(): string {
    return String(4_000_000_000_000_000 + ++this.querySeq * 7919);
  }

  log(rec: CallRecord): void {
    this.calls.push(rec);
    if (rec.status >= 400 && rec.status < 500) this.errors.push(rec);
    this.notify();
  }

  chatObject(chat: ChatInfo): Record<string, unknown> {
    if (chat.type !== "private") return { id: chat.id, type: chat.type, title: `Chat ${chat.id}` };
    const u = chat.user;
    return {
      id: chat.id,
      type: "private",
      first_name: u?.first_name ?? `User ${chat.id}`,
      ...(u?.last_name ? { last_name: u.last_name } : {}),
      ...(u?.username ? { username: u.username } : {}),
    };
  }

  userObject(u: UserInfo): Record<string, unknown> {
    return { is_bot: false, ...u };
  }

  /** The Bot API Message object for a stored message. */
  toTelegram(m: StoredMessage): Message {
    const chat = this.chat(m.chat_id);
    const from = m.from_bot ? this.botInfo : chat.user ? this.userObject(chat.user) : undefined;
    const markup = m.reply_markup && "inline_keyboard" in m.reply_markup ? m.reply_markup : undefined;
    return {
      message_id: m.message_id,
      ...(from ? { from } : {}),
      chat: this.chatObject(chat),
      date: m.date,
      ...(m.edit_date ? { edit_date: m.edit_date } : {}),
      ...(m.photo
        ? {
            photo: [{ file_id: m.photo.file_id, file_unique_id: m.photo.file_id, width: 1280, height: 960, file_size: m.photo.size }],
            ...(m.plain ? { caption: m.plain } : {}),
            ...(m.entities.length ? { caption_entities: m.entities } : {}),
          }
        : { text: m.plain, ...(m.entities.length ? { entities: m.entities } : {}) }),
      ...(markup ? { reply_markup: markup } : {}),
    } as unknown as Message;
  }
}

import type { Message, MessageEntity } from "grammy/types";
import type { EmulatorState, StoredMessage, UserInfo } from "./state.js";

/** Snapshot of a message as the user sees it now (after edits). */
export type MessageView = Readonly<StoredMessage>;
export type MessagePredicate = (m: MessageView) => boolean;

interface Button {
  text: string;
  callback_data?: string;
  url?: string;
}

const view = (m: StoredMessage): MessageView => structuredClone(m);

function buttonsOf(m: StoredMessage): Button[] {
  const kb = m.reply_markup?.["inline_keyboard"];
  return Array.isArray(kb) ? (kb as unknown[][]).flat().map((b) => b as Button) : [];
}

function describeButtons(m: StoredMessage): string {
  const list = buttonsOf(m).map((b) => `"${b.text}" → ${b.callback_data ?? (b.url ? `url ${b.url}` : "(other)")}`);
  return list.length ? list.join(", ") : "(no inline buttons)";
}

export function describeMessages(list: StoredMessage[], max = 5): string {
  if (list.length === 0) return "  (none)";
  return list
    .slice(-max)
    .map((m) => {
      const text = m.plain.length > 300 ? `${m.plain.slice(0, 300)}…` : m.plain;
      return `  #${m.message_id}${m.edits ? ` (edited ×${m.edits})` : ""}${m.deleted ? " (deleted)" : ""}: ${JSON.stringify(text)}\n    buttons: ${describeButtons(m)}`;
    })
    .join("\n");
}

/** A Telegram user chatting with the bot in a private chat. */
export class SimUser {
  constructor(
    private readonly state: EmulatorState,
    readonly info: UserInfo,
  ) {}

  get id(): number {
    return this.info.id;
  }

  /** Sends a private message (with a bot_command entity for a leading /command); returns it. */
  async send(text: string): Promise<Message> {
    const cmd = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?/.exec(text);
    const entities: MessageEntity[] = cmd ? [{ type: "bot_command", offset: 0, length: cmd[0].length }] : [];
    const stored = this.state.addMessage(this.id, { from_bot: false, text, plain: text, entities });
    const message = this.state.toTelegram(stored);
    this.state.enqueue({ message } as never);
    return message;
  }

  /** Presses the inline button whose text (or else callback_data) equals `button`; returns the callback query id. */
  async press(message: { message_id: number } | number, button: string): Promise<string> {
    const id = typeof message === "number" ? message : message.message_id;
    const m = this.state.findChat(this.id)?.messages.get(id);
    if (!m || m.deleted) throw new Error(`press(${JSON.stringify(button)}): message #${id} not found in chat ${this.id}${m ? " (deleted)" : ""}`);
    const buttons = buttonsOf(m);
    const b = buttons.find((x) => x.text === button) ?? buttons.find((x) => x.callback_data === button);
    if (!b) throw new Error(`press: no button ${JSON.stringify(button)} in message #${id} to user ${this.id}. Buttons: ${describeButtons(m)}`);
    if (b.callback_data === undefined) throw new Error(`press: button ${JSON.stringify(b.text)} in message #${id} is not a callback button`);
    return this.callback(b.callback_data, this.state.toTelegram(m));
  }

  /** Forges a callback query with arbitrary data on messageId (default: the last bot message). */
  async pressRaw(data: string, messageId?: number): Promise<string> {
    const id = messageId ?? this.last()?.message_id;
    if (id === undefined) throw new Error(`pressRaw: no bot message in chat ${this.id}; pass a messageId`);
    const chat = this.state.chat(this.id);
    const m = chat.messages.get(id);
    const message = m ? this.state.toTelegram(m) : { chat: this.state.chatObject(chat), message_id: id, date: 0 };
    return this.callback(data, message);
  }

  private callback(data: string, message: unknown): string {
    const id = this.state.nextQueryId();
    this.state.callbackQueries.set(id, { id, userId: this.id, createdAt: Date.now() });
    const callback_query = { id, from: this.state.userObject(this.info), message, chat_instance: String(-this.id * 31), data };
    this.state.enqueue({ callback_query } as never);
    return id;
  }

  /** Types an inline query; returns its id. */
  async inline(query: string, offset = ""): Promise<string> {
    const id = this.state.nextQueryId();
    this.state.inlineQueries.set(id, { id, userId: this.id, createdAt: Date.now() });
    const inline_query = { id, from: this.state.userObject(this.info), query, offset, chat_type: "sender" };
    this.state.enqueue({ inline_query } as never);
    return id;
  }

  /** Bot messages in this chat, current state. */
  messages(opts: { includeDeleted?: boolean } = {}): MessageView[] {
    return this.state.botMessages(this.id, opts.includeDeleted).map(view);
  }

  last(): MessageView | undefined {
    return this.messages().at(-1);
  }

  /** A cursor for waitForMessage(…, after): messages sent after this point count as new. */
  mark(): number {
    return this.state.seq;
  }

  /** First bot message sent after the call (or after `after`, see mark()) that matches pred. */
  waitForMessage(pred?: MessagePredicate, timeoutMs = 5000, after = this.state.seq): Promise<MessageView> {
    return this.state.waitFor(
      () => {
        const m = this.state.botMessages(this.id).find((x) => x.seq > after && (!pred || pred(view(x))));
        return m && view(m);
      },
      timeoutMs,
      () => `Timed out after ${timeoutMs}ms waiting for a new bot message to user ${this.id}${pred ? " matching the predicate" : ""}.\n` +
        `Last bot messages:\n${describeMessages(this.state.botMessages(this.id, true))}\n${this.recentErrors()}`,
    );
  }

  /** Resolves when message #messageId is edited again (after the call). */
  waitForEdit(messageId: number, timeoutMs = 5000): Promise<MessageView> {
    const base = this.state.findChat(this.id)?.messages.get(messageId)?.edits ?? 0;
    return this.state.waitFor(
      () => {
        const m = this.state.findChat(this.id)?.messages.get(messageId);
        return m && m.edits > base ? view(m) : undefined;
      },
      timeoutMs,
      () => `Timed out after ${timeoutMs}ms waiting for an edit of message #${messageId} to user ${this.id}.\n` +
        `Last bot messages:\n${describeMessages(this.state.botMessages(this.id, true))}\n${this.recentErrors()}`,
    );
  }

  /** The answerCallbackQuery params once the bot answered queryId. */
  callbackAnswer(queryId: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    return this.answer("callback", queryId, timeoutMs);
  }

  /** The answerInlineQuery params (results parsed) once the bot answered queryId. */
  inlineAnswer(queryId: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    return this.answer("inline", queryId, timeoutMs);
  }

  private answer(kind: "callback" | "inline", queryId: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const map = kind === "callback" ? this.state.callbackQueries : this.state.inlineQueries;
    if (!map.has(queryId)) return Promise.reject(new Error(`Unknown ${kind} query id ${queryId}`));
    return this.state.waitFor(
      () => map.get(queryId)?.answer,
      timeoutMs,
      () => `Timed out after ${timeoutMs}ms waiting for the bot to answer ${kind} query ${queryId} of user ${this.id}.\n${this.recentErrors()}`,
    );
  }

  private recentErrors(): string {
    const mine = this.state.errors.filter((e) => e.params["chat_id"] === undefined || Number(e.params["chat_id"]) === this.id).slice(-5);
    if (mine.length === 0) return "No API errors.";
    return `Recent API errors:\n${mine.map((e) => `  ${e.method} → ${e.status} ${e.description ?? ""}`).join("\n")}`;
  }
}

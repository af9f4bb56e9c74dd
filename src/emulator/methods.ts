import { badRequest, isObject, optBool, optNum, optStr, type Params } from "./errors.js";
import { validateMessageText } from "./html.js";
import type { Faults, RateLimiter } from "./limits.js";
import type { ChatInfo, EmulatorState, QueryRecord, StoredMessage } from "./state.js";
import { parseJsonField, validateCommands, validateInlineResults, validateReplyMarkup } from "./validate.js";

export interface WebhookControl {
  set(url: string, secretToken: string | undefined): void;
  clear(): void;
  info(): Record<string, unknown>;
}

export interface MethodContext {
  state: EmulatorState;
  faults: Faults;
  limiter: RateLimiter;
  strictChats: boolean;
  webhook: WebhookControl;
}

type Handler = (p: Params, ctx: MethodContext) => unknown;

const QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid";
const CHAT_ACTIONS = new Set(["typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
  "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"]);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const inlineOnly = (m: Record<string, unknown> | undefined) => (m && "inline_keyboard" in m ? m : undefined);

function resolveChat(p: Params, ctx: MethodContext): ChatInfo {
  const raw = p["chat_id"];
  if (raw === undefined || raw === null || raw === "") throw badRequest("chat_id is empty");
  if (typeof raw === "string" && raw.startsWith("@")) {
    const name = raw.slice(1).toLowerCase();
    const found = [...ctx.state.chats.values()].find((c) => c.user?.username?.toLowerCase() === name);
    if (!found) throw badRequest("chat not found");
    return found;
  }
  const id = Number(raw);
  if (!Number.isInteger(id) || id === 0) throw badRequest("chat not found");
  const existing = ctx.state.findChat(id);
  if (existing) return existing;
  if (ctx.strictChats) throw badRequest("chat not found");
  return ctx.state.chat(id);
}

function messageId(p: Params): number {
  const id = optNum(p, "message_id");
  if (id === undefined) throw badRequest("message identifier is not specified");
  return id;
}

function query(map: Map<string, QueryRecord>, p: Params, key: string): QueryRecord {
  const q = map.get(optStr(p, key) ?? "");
  if (!q || q.answer) throw badRequest(QUERY_INVALID);
  return q;
}

function setting(ctx: MethodContext, key: string, value: unknown): true {
  ctx.state.settings.set(key, value);
  return true;
}

const commandsKey = (p: Params): string =>
  `commands|${JSON.stringify(parseJsonField(p["scope"], "scope") ?? { type: "default" })}|${optStr(p, "language_code") ?? ""}`;

function editTarget(p: Params, ctx: MethodContext) {
  const chat = resolveChat(p, ctx);
  const m = chat.messages.get(messageId(p));
  if (!m || m.deleted) throw badRequest("message to edit not found");
  if (!m.from_bot) throw badRequest("message can't be edited");
  ctx.faults.assertNotBlocked(chat.id);
  return m;
}

const NOT_MODIFIED = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

/** Sets (or, like Telegram, removes) the keyboard of an edited message and counts the edit. */
function edited(m: StoredMessage, markup: Record<string, unknown> | undefined, ctx: MethodContext): unknown {
  if (markup) m.reply_markup = markup;
  else delete m.reply_markup;
  m.edits++;
  m.edit_date = Math.floor(Date.now() / 1000);
  ctx.state.notify();
  return ctx.state.toTelegram(m);
}

export const handlers: Record<string, Handler> = {
  getMe: (_p, ctx) => ctx.state.botInfo,
  logOut: () => true,
  close: () => true,

  setWebhook: (p, ctx) => {
    const url = optStr(p, "url") ?? "";
    const secret = optStr(p, "secret_token");
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest("secret token contains unallowed characters");
    if (url && !/^https?:\/\/\S+$/.test(url)) throw badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
    if (optBool(p, "drop_pending_updates")) ctx.state.confirm(ctx.state.nextUpdateId);
    if (url) ctx.webhook.set(url, secret);
    else ctx.webhook.clear();
    return true;
  },
  deleteWebhook: (p, ctx) => {
    if (optBool(p, "drop_pending_updates")) ctx.state.confirm(ctx.state.nextUpdateId);
    ctx.webhook.clear();
    return true;
  },
  getWebhookInfo: (_p, ctx) => ctx.webhook.info(),

  setMyCommands: (p, ctx) => setting(ctx, commandsKey(p), validateCommands(p["commands"])),
  getMyCommands: (p, ctx) => ctx.state.settings.get(commandsKey(p)) ?? [],
  deleteMyCommands: (p, ctx) => {
    ctx.state.settings.delete(commandsKey(p));
    return true;
  },
  setChatMenuButton: (p, ctx) => setting(ctx, `menu|${optStr(p, "chat_id") ?? ""}`, parseJsonField(p["menu_button"], "menu button") ?? { type: "default" }),
  getChatMenuButton: (p, ctx) => ctx.state.settings.get(`menu|${optStr(p, "chat_id") ?? ""}`) ?? { type: "default" },
  setMyDescription: (p, ctx) => setting(ctx, `description|${optStr(p, "language_code") ?? ""}`, optStr(p, "description") ?? ""),
  getMyDescription: (p, ctx) => ({ description: ctx.state.settings.get(`description|${optStr(p, "language_code") ?? ""}`) ?? "" }),
  setMyShortDescription: (p, ctx) => setting(ctx, `short|${optStr(p, "language_code") ?? ""}`, optStr(p, "short_description") ?? ""),
  getMyShortDescription: (p, ctx) => ({ short_description: ctx.state.settings.get(`short|${optStr(p, "language_code") ?? ""}`) ?? "" }),
  setMyName: (p, ctx) => setting(ctx, `name|${optStr(p, "language_code") ?? ""}`, optStr(p, "name") ?? ""),
  getMyName: (p, ctx) => ({ name: ctx.state.settings.get(`name|${optStr(p, "language_code") ?? ""}`) ?? ctx.state.botInfo.first_name }),

  sendMessage: (p, ctx) => {
    const chat = resolveChat(p, ctx);
    const parsed = validateMessageText(p["text"], p["parse_mode"]);
    const markup = validateReplyMarkup(p["reply_markup"]);
    const replyParams = parseJsonField(p["reply_parameters"], "reply parameters");
    const replyTo = isObject(replyParams) ? optNum(replyParams, "message_id") : optNum(p, "reply_to_message_id");
    const allowMissing = (isObject(replyParams) && optBool(replyParams, "allow_sending_without_reply")) || optBool(p, "allow_sending_without_reply");
    if (replyTo !== undefined && !chat.messages.get(replyTo) && !allowMissing) throw badRequest("message to be replied not found");
    ctx.faults.assertNotBlocked(chat.id);
    ctx.limiter.acquire(chat.id);
    const entities = parsed.entities.length === 0 && Array.isArray(p["entities"]) ? p["entities"] : parsed.entities;
    const parseMode = optStr(p, "parse_mode");
    const m = ctx.state.addMessage(chat.id, {
      from_bot: true,
      text: String(p["text"]),
      ...(parseMode ? { parse_mode: parseMode } : {}),
      plain: parsed.text,
      entities,
      ...(markup ? { reply_markup: markup } : {}),
    });
    chat.deliveries++;
    ctx.state.notify();
    return ctx.state.toTelegram(m);
  },

  /** A photo by upload (multipart) or by the file id of an earlier upload; the caption as Telegram checks it. */
  sendPhoto: (p, ctx) => {
    const chat = resolveChat(p, ctx);
    const raw = p["photo"];
    // An upload arrives as "attach://<part>" naming the multipart part that holds the file.
    const photo = typeof raw === "string" && raw.startsWith("attach://") ? p[raw.slice("attach://".length)] : raw;
    let file: { file_id: string; size: number };
    if (isObject(photo) && typeof photo["size"] === "number") {
      if (photo["size"] === 0) throw badRequest("file must be non-empty");
      file = { file_id: `emu-photo-${ctx.state.files.size + 1}`, size: photo["size"] };
      ctx.state.files.set(file.file_id, file.size);
    } else if (typeof photo === "string" && ctx.state.files.has(photo)) {
      file = { file_id: photo, size: ctx.state.files.get(photo)! };
    } else {
      throw badRequest(photo === undefined ? "there is no photo in the request" : "wrong file identifier/HTTP URL specified");
    }
    const caption = optStr(p, "caption") ?? "";
    const parsed = caption === "" ? { text: "", entities: [] } : validateMessageText(caption, p["parse_mode"]);
    if (parsed.text.length > 1024) throw badRequest("message caption is too long");
    const markup = validateReplyMarkup(p["reply_markup"]);
    ctx.faults.assertNotBlocked(chat.id);
    ctx.limiter.acquire(chat.id);
    const parseMode = optStr(p, "parse_mode");
    const m = ctx.state.addMessage(chat.id, {
      from_bot: true,
      text: caption,
      ...(parseMode ? { parse_mode: parseMode } : {}),
      plain: parsed.text,
      entities: parsed.entities,
      ...(markup ? { reply_markup: markup } : {}),
      photo: file,
    });
    chat.deliveries++;
    ctx.state.notify();
    return ctx.state.toTelegram(m);
  },

  editMessageText: (p, ctx) => {
    const parsed = validateMessageText(p["text"], p["parse_mode"]);
    const markup = inlineOnly(validateReplyMarkup(p["reply_markup"]));
    if (optStr(p, "inline_message_id")) return true;
    const m = editTarget(p, ctx);
    if (m.plain === parsed.text && same(m.entities, parsed.entities) && same(inlineOnly(m.reply_markup), markup)) {
      throw badRequest(NOT_MODIFIED);
    }
    const parseMode = optStr(p, "parse_mode");
    m.text = String(p["text"]);
    if (parseMode) m.parse_mode = parseMode;
    else delete m.parse_mode;
    m.plain = parsed.text;
    m.entities = parsed.entities;
    return edited(m, markup, ctx);
  },

  editMessageReplyMarkup: (p, ctx) => {
    const markup = inlineOnly(validateReplyMarkup(p["reply_markup"]));
    if (optStr(p, "inline_message_id")) return true;
    const m = editTarget(p, ctx);
    if (same(inlineOnly(m.reply_markup), markup)) throw badRequest(NOT_MODIFIED);
    return edited(m, markup, ctx);
  },

  deleteMessage: (p, ctx) => {
    const chat = resolveChat(p, ctx);
    const m = chat.messages.get(messageId(p));
    if (!m || m.deleted) throw badRequest("message to delete not found");
    m.deleted = true;
    ctx.state.notify();
    return true;
  },

  answerCallbackQuery: (p, ctx) => {
    const q = query(ctx.state.callbackQueries, p, "callback_query_id");
    const text = optStr(p, "text");
    if (text !== undefined && text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
    q.answer = { ...p };
    ctx.state.notify();
    return true;
  },

  answerInlineQuery: (p, ctx) => {
    const q = query(ctx.state.inlineQueries, p, "inline_query_id");
    const results = validateInlineResults(p["results"]);
    q.answer = { ...p, results };
    ctx.state.notify();
    return true;
  },

  sendChatAction: (p, ctx) => {
    const chat = resolveChat(p, ctx);
    if (!CHAT_ACTIONS.has(optStr(p, "action") ?? "")) throw badRequest("wrong parameter action in request");
    ctx.faults.assertNotBlocked(chat.id);
    return true;
  },
};

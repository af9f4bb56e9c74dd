import { badRequest, isObject } from "./errors.js";
import { validateMessageText } from "./html.js";

const bytes = (s: string): number => Buffer.byteLength(s, "utf8");
const ACTIONS = ["callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat", "login_url", "web_app", "callback_game", "pay", "copy_text"];

/** JSON-serialised fields arrive as strings in form and multipart bodies. */
export function parseJsonField(v: unknown, what: string): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw badRequest(`can't parse ${what} JSON object`);
  }
}

function validateInlineButton(b: unknown): void {
  if (!isObject(b)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  if (typeof b["text"] !== "string") throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  if (b["text"].trim() === "") throw badRequest("BUTTON_TEXT_EMPTY");
  const actions = ACTIONS.filter((k) => b[k] !== undefined);
  if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  if (actions.length > 1) throw badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used");
  const data = b["callback_data"];
  if (data !== undefined && (typeof data !== "string" || bytes(data) > 64)) throw badRequest("BUTTON_DATA_INVALID");
  const url = b["url"];
  if (url !== undefined && (typeof url !== "string" || !/^(https?|tg):\/\/\S+$/i.test(url))) throw badRequest("BUTTON_URL_INVALID");
}

/** Validates reply_markup; returns it parsed (or undefined when absent). */
export function validateReplyMarkup(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const m = parseJsonField(raw, "reply keyboard markup");
  if (!isObject(m)) throw badRequest("can't parse reply keyboard markup JSON object");
  const kb = m["inline_keyboard"];
  if (kb !== undefined) {
    if (!Array.isArray(kb) || !kb.every((row) => Array.isArray(row))) {
      throw badRequest('Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    }
    let count = 0;
    for (const row of kb as unknown[][]) for (const b of row) {
      validateInlineButton(b);
      count++;
    }
    if (count > 100) throw badRequest("reply markup is too long");
    return m;
  }
  if (m["keyboard"] === undefined && m["remove_keyboard"] === undefined && m["force_reply"] === undefined) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  return m;
}

export function validateInlineResults(raw: unknown): unknown[] {
  const results = parseJsonField(raw, "inline query results");
  if (!Array.isArray(results)) throw badRequest("can't parse inline query results JSON object");
  if (results.length > 50) throw badRequest("RESULTS_TOO_MUCH");
  const ids = new Set<string>();
  for (const r of results) {
    if (!isObject(r)) throw badRequest("can't parse InlineQueryResult: must be an Object");
    const id = r["id"];
    if (typeof id !== "string" || id === "" || bytes(id) > 64) throw badRequest("RESULT_ID_INVALID");
    if (ids.has(id)) throw badRequest("RESULT_ID_DUPLICATE");
    ids.add(id);
    if (typeof r["type"] !== "string") throw badRequest('can\'t parse InlineQueryResult: Field "type" must be of type String');
    const content = r["input_message_content"];
    if (r["type"] === "article") {
      if (typeof r["title"] !== "string" || r["title"].trim() === "") throw badRequest("RESULT_TITLE_EMPTY");
      if (!isObject(content)) throw badRequest('can\'t parse InlineQueryResultArticle: Field "input_message_content" must be of type Object');
    }
    if (isObject(content) && content["message_text"] !== undefined) {
      validateMessageText(content["message_text"], content["parse_mode"]);
    }
    validateReplyMarkup(r["reply_markup"]);
  }
  return results;
}

export function validateCommands(raw: unknown): unknown[] {
  const cmds = parseJsonField(raw, "commands");
  if (!Array.isArray(cmds)) throw badRequest("can't parse commands JSON object");
  if (cmds.length > 100) throw badRequest("BOT_COMMANDS_TOO_MUCH");
  for (const c of cmds) {
    if (!isObject(c) || typeof c["command"] !== "string" || !/^[a-z0-9_]{1,32}$/.test(c["command"])) throw badRequest("BOT_COMMAND_INVALID");
    const d = c["description"];
    if (typeof d !== "string" || d.trim() === "" || d.length > 256) throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
  }
  return cmds;
}

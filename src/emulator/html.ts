import type { MessageEntity } from "grammy/types";
import { badRequest } from "./errors.js";

/**
 * Telegram "HTML" parse mode, modelled on tdlib's parse_html, but stricter in one place: an unknown
 * named entity such as `&nbsp;` is an error here (Telegram would silently keep it as text).
 */
export type HtmlParse = { ok: true; text: string; entities: MessageEntity[] } | { ok: false; error: string };

export const MAX_MESSAGE_LENGTH = 4096;

const TAGS = new Set([
  "b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
  "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji",
]);
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
const ENTITY_RE = /&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/y;
const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\n" || c === "\r";

interface Open {
  tag: string;
  start: number;
  arg: string;
  language?: string;
}

/** Decodes the entity at `i` if there is one: [decoded, length] | "unknown" | undefined (a literal '&'). */
function entityAt(s: string, i: number): [string, number] | { unknown: string } | undefined {
  ENTITY_RE.lastIndex = i;
  const m = ENTITY_RE.exec(s);
  if (!m || m[1] === undefined) return undefined;
  const body = m[1];
  if (body.startsWith("#")) {
    const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return { unknown: m[0] };
    return [String.fromCodePoint(code), m[0].length];
  }
  const named = NAMED[body];
  return named === undefined ? { unknown: m[0] } : [named, m[0].length];
}

function decodeAttr(v: string): string {
  let out = "";
  for (let i = 0; i < v.length; ) {
    const e = v[i] === "&" ? entityAt(v, i) : undefined;
    if (Array.isArray(e)) {
      out += e[0];
      i += e[1];
    } else {
      out += v[i];
      i++;
    }
  }
  return out;
}

function entityFor(o: Open, offset: number, length: number): MessageEntity | undefined {
  switch (o.tag) {
    case "b": case "strong": return { type: "bold", offset, length };
    case "i": case "em": return { type: "italic", offset, length };
    case "u": case "ins": return { type: "underline", offset, length };
    case "s": case "strike": case "del": return { type: "strikethrough", offset, length };
    case "span": case "tg-spoiler": return { type: "spoiler", offset, length };
    case "a": return o.arg ? { type: "text_link", offset, length, url: o.arg } : undefined;
    case "code": return { type: "code", offset, length };
    case "pre": return o.language ? { type: "pre", offset, length, language: o.language } : { type: "pre", offset, length };
    case "blockquote": return { type: o.arg ? "expandable_blockquote" : "blockquote", offset, length } as MessageEntity;
    case "tg-emoji": return { type: "custom_emoji", offset, length, custom_emoji_id: o.arg };
    default: return undefined;
  }
}

export function parseTelegramHtml(html: string): HtmlParse {
  const fail = (msg: string, at: number): HtmlParse => ({
    ok: false,
    error: `${msg} at byte offset ${Buffer.byteLength(html.slice(0, at), "utf8")}`,
  });
  let text = "";
  const entities: MessageEntity[] = [];
  const stack: Open[] = [];
  const n = html.length;
  let i = 0;
  while (i < n) {
    const c = html[i] as string;
    if (c === "&") {
      const e = entityAt(html, i);
      if (e && !Array.isArray(e)) return fail(`Unsupported HTML entity "${e.unknown}"`, i);
      if (e) {
        text += e[0];
        i += e[1];
        continue;
      }
    }
    if (c !== "<") {
      text += c;
      i++;
      continue;
    }
    const begin = i;
    if (html[i + 1] === "/") {
      i += 2;
      while (i < n && !isSpace(html[i]) && html[i] !== ">") i++;
      const name = html.slice(begin + 2, i).toLowerCase();
      while (i < n && isSpace(html[i])) i++;
      if (html[i] !== ">") return fail("Unclosed end tag", begin);
      i++;
      const open = stack.pop();
      if (!open) return fail(`Unexpected end tag "</${name}>"`, begin);
      if (open.tag !== name) return fail(`Unmatched end tag, expected "</${open.tag}>", found "</${name}>"`, begin);
      const parent = stack[stack.length - 1];
      if (open.tag === "code" && open.language && parent?.tag === "pre" && parent.start === open.start) {
        parent.language = open.language;
        continue;
      }
      if (text.length > open.start) {
        const ent = entityFor(open, open.start, text.length - open.start);
        if (ent) entities.push(ent);
      }
      continue;
    }
    i++;
    while (i < n && !isSpace(html[i]) && html[i] !== ">") i++;
    if (i >= n) return fail("Unclosed start tag", begin);
    const tag = html.slice(begin + 1, i).toLowerCase();
    if (!TAGS.has(tag)) return fail(`Unsupported start tag "${tag}"`, begin);
    const open: Open = { tag, start: text.length, arg: "" };
    for (;;) {
      while (i < n && isSpace(html[i])) i++;
      if (i >= n) return fail("Unclosed start tag", begin);
      if (html[i] === ">") break;
      const nameStart = i;
      while (i < n && !isSpace(html[i]) && html[i] !== "=" && html[i] !== ">") i++;
      const attr = html.slice(nameStart, i).toLowerCase();
      if (!attr) return fail(`Empty attribute name in the tag "${tag}"`, begin);
      while (i < n && isSpace(html[i])) i++;
      if (html[i] !== "=") {
        if (tag === "blockquote" && attr === "expandable") open.arg = "1";
        continue;
      }
      i++;
      while (i < n && isSpace(html[i])) i++;
      if (i >= n) return fail("Unclosed start tag", begin);
      let value: string;
      const q = html[i];
      if (q === '"' || q === "'") {
        const end = html.indexOf(q, i + 1);
        if (end < 0) return fail("Unclosed start tag", begin);
        value = decodeAttr(html.slice(i + 1, end));
        i = end + 1;
      } else {
        const vs = i;
        while (i < n && /[A-Za-z0-9.\-]/.test(html[i] as string)) i++;
        if (i === vs) return fail(`Expected quote in the value of attribute "${attr}" of the tag "${tag}"`, begin);
        value = html.slice(vs, i);
      }
      if (tag === "a" && attr === "href") open.arg = value;
      else if (tag === "span" && attr === "class") open.arg = value;
      else if (tag === "code" && attr === "class" && value.startsWith("language-")) open.language = value.slice(9);
      else if (tag === "tg-emoji" && attr === "emoji-id") open.arg = value;
    }
    i++;
    if (tag === "span" && open.arg !== "tg-spoiler") return fail('Tag "span" must have class "tg-spoiler"', begin);
    if (tag === "tg-emoji" && !/^[0-9]{1,20}$/.test(open.arg)) return fail('Tag "tg-emoji" must have a valid attribute "emoji-id"', begin);
    stack.push(open);
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) return { ok: false, error: `Can't find end tag corresponding to start tag "${unclosed.tag}"` };
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text, entities };
}

/** Trims like Telegram does and shifts entities accordingly. */
function trim(text: string, entities: MessageEntity[]): { text: string; entities: MessageEntity[] } {
  const lead = text.length - text.trimStart().length;
  const out = text.trim();
  const shifted: MessageEntity[] = [];
  for (const e of entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(out.length, e.offset + e.length - lead);
    if (end > start) shifted.push({ ...e, offset: start, length: end - start });
  }
  return { text: out, entities: shifted };
}

/**
 * Validates message text as sendMessage / editMessageText / InputTextMessageContent would.
 * Returns the visible text and entities or throws a 400 ApiError.
 * Markdown / MarkdownV2 are accepted but not parsed (text counted as is).
 */
export function validateMessageText(text: unknown, parseMode?: unknown): { text: string; entities: MessageEntity[] } {
  if (typeof text !== "string" || text.length === 0) throw badRequest("message text is empty");
  let parsed: { text: string; entities: MessageEntity[] } = { text, entities: [] };
  const mode = parseMode === undefined || parseMode === null ? "" : String(parseMode).toLowerCase();
  if (mode === "html") {
    const r = parseTelegramHtml(text);
    if (!r.ok) throw badRequest(`can't parse entities: ${r.error}`);
    parsed = r;
  } else if (mode !== "" && mode !== "markdown" && mode !== "markdownv2") {
    throw badRequest("unsupported parse_mode");
  }
  const t = trim(parsed.text, parsed.entities);
  if (t.text.length === 0) throw badRequest("message text is empty");
  if (t.text.length > MAX_MESSAGE_LENGTH) throw badRequest("message is too long");
  return t;
}

/**
 * Bidirectional controls (RLO, LRI, RLM…): in user text they reorder what is displayed after them, so
 * "gnp.exe" reads "exe.png" and a quoted name can swallow the rest of our sentence. None of our
 * languages needs them.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Text without bidirectional control characters. */
export function stripBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

/**
 * Escapes text for Telegram's HTML parse mode (the three characters it requires, plus quotes for
 * attributes), and drops bidi controls: every text we send passes here, so no user input is echoed
 * with them.
 */
export function escapeHtml(text: string): string {
  return stripBidi(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const ENTITY = /&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi;

/** The length Telegram counts: text after tags are removed and entities decoded, in UTF-16 units. */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, "").replace(ENTITY, "x").length;
}

/** Cuts plain text to at most `max` characters on a word boundary where one is near, with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  const space = cut.lastIndexOf(" ");
  return (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:]+$/, "") + "…";
}

/** Telegram's limit on a message's visible text. */
export const MESSAGE_LIMIT = 4096;

/** Options of every HTML message. */
export const HTML = { parse_mode: "HTML" as const };
export const NO_PREVIEW = { is_disabled: true };

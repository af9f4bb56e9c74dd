/** Escapes text for Telegram's HTML parse mode (the three characters it requires, plus quotes for attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
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

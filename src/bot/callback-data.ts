import { type Category, isCategory, SLUG_PATTERN } from "../domain/codes.js";

/**
 * Callback data is untrusted input (any client can forge it): every button's data is built here
 * and parsed back here, and anything that does not parse is treated as a stale button.
 */
export type Action =
  | { kind: "card"; slug: string }
  | { kind: "timeline"; slug: string }
  | { kind: "subscribe"; slug: string }
  | { kind: "categories" }
  | { kind: "category"; category: Category; page: number }
  | { kind: "language"; lang: string };

export function encode(action: Action): string {
  switch (action.kind) {
    case "card":
      return `c:${action.slug}`;
    case "timeline":
      return `t:${action.slug}`;
    case "subscribe":
      return `s:${action.slug}`;
    case "categories":
      return "l";
    case "category":
      return `l:${action.category}:${action.page}`;
    case "language":
      return `lang:${action.lang}`;
  }
}

export function decode(data: string): Action | undefined {
  if (data.length > 64) return undefined;
  if (data === "l") return { kind: "categories" };
  const [head, a, b] = data.split(":");
  if (head === "c" || head === "t" || head === "s") {
    if (a === undefined || b !== undefined || !SLUG_PATTERN.test(a)) return undefined;
    return { kind: head === "c" ? "card" : head === "t" ? "timeline" : "subscribe", slug: a };
  }
  if (head === "l" && isCategory(a) && b !== undefined && /^\d{1,4}$/.test(b)) {
    return { kind: "category", category: a, page: Number(b) };
  }
  if (head === "lang" && a !== undefined && /^[a-z]{2}$/.test(a)) return { kind: "language", lang: a };
  return undefined;
}

import { type Category, isCategory, SLUG_PATTERN } from "../domain/codes.js";

/**
 * Callback data is untrusted input (any client can forge it): every button's data is built here
 * and parsed back here, and anything that does not parse is treated as a stale button.
 */
export type Action =
  | { kind: "card" | "timeline" | "subscribe" | "unsubscribe" | "news" | "unfollow"; slug: string }
  | { kind: "categories" }
  | { kind: "category"; category: Category; page: number }
  | { kind: "language"; lang: string }
  | { kind: "approve" | "reject" | "review"; id: number }
  | { kind: "forget"; confirm: boolean };

type SlugKind = Extract<Action, { slug: string }>["kind"];
type IdKind = Extract<Action, { id: number }>["kind"];

const SLUG_PREFIX: Record<SlugKind, string> = {
  card: "c",
  timeline: "t",
  subscribe: "s",
  unsubscribe: "u",
  news: "n",
  unfollow: "us",
};
const ID_PREFIX: Record<IdKind, string> = { approve: "ap", reject: "rj", review: "q" };
const BY_PREFIX = new Map<string, SlugKind | IdKind>([
  ...Object.entries(SLUG_PREFIX).map(([k, p]) => [p, k as SlugKind] as const),
  ...Object.entries(ID_PREFIX).map(([k, p]) => [p, k as IdKind] as const),
]);

export function encode(action: Action): string {
  switch (action.kind) {
    case "categories":
      return "l";
    case "category":
      return `l:${action.category}:${action.page}`;
    case "language":
      return `lang:${action.lang}`;
    case "forget":
      return `fg:${action.confirm ? "yes" : "no"}`;
    case "approve":
    case "reject":
    case "review":
      return `${ID_PREFIX[action.kind]}:${action.id}`;
    default:
      return `${SLUG_PREFIX[action.kind]}:${action.slug}`;
  }
}

export function decode(data: string): Action | undefined {
  if (data.length > 64) return undefined;
  if (data === "l") return { kind: "categories" };
  const [head = "", a, b, ...rest] = data.split(":");
  if (rest.length > 0) return undefined;
  if (head === "l") {
    return isCategory(a) && b !== undefined && /^\d{1,4}$/.test(b) ? { kind: "category", category: a, page: Number(b) } : undefined;
  }
  if (b !== undefined || a === undefined) return undefined;
  if (head === "lang") return /^[a-z]{2}$/.test(a) ? { kind: "language", lang: a } : undefined;
  if (head === "fg") return a === "yes" || a === "no" ? { kind: "forget", confirm: a === "yes" } : undefined;
  const kind = BY_PREFIX.get(head);
  if (kind === undefined) return undefined;
  if (kind === "approve" || kind === "reject" || kind === "review") {
    return /^\d{1,12}$/.test(a) ? { kind, id: Number(a) } : undefined;
  }
  return SLUG_PATTERN.test(a) ? { kind, slug: a } : undefined;
}

import { type Category, isCategory, isUpdateType, SLUG_PATTERN, type UpdateType } from "../domain/codes.js";

/**
 * Callback data is untrusted input (any client can forge it): every button's data is built here
 * and parsed back here, and anything that does not parse is treated as a stale button.
 */
export type Action =
  | { kind: "card" | "timeline" | "subscribe" | "unsubscribe" | "news" | "unfollow" | "mode"; slug: string }
  | { kind: "type"; id: number; type: UpdateType }
  | { kind: "typeStatus"; id: number; type: UpdateType; change: boolean }
  | { kind: "categories" }
  | { kind: "category"; category: Category; page: number }
  | { kind: "language"; lang: string }
  | { kind: "approve" | "reject" | "review" | "typeBack"; id: number }
  | { kind: "forget"; confirm: boolean };

type SlugKind = Extract<Action, { slug: string }>["kind"];
type IdKind = "approve" | "reject" | "review" | "typeBack";

const SLUG_PREFIX: Record<SlugKind, string> = {
  card: "c",
  timeline: "t",
  subscribe: "s",
  unsubscribe: "u",
  news: "n",
  unfollow: "us",
  mode: "sm",
};
const ID_PREFIX: Record<IdKind, string> = { approve: "ap", reject: "rj", review: "q", typeBack: "tb" };
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
    case "type":
      return `ty:${action.id}:${action.type}`;
    case "typeStatus":
      return `tys:${action.id}:${action.type}:${action.change ? 1 : 0}`;
    case "approve":
    case "reject":
    case "review":
    case "typeBack":
      return `${ID_PREFIX[action.kind]}:${action.id}`;
    default:
      return `${SLUG_PREFIX[action.kind]}:${action.slug}`;
  }
}

export function decode(data: string): Action | undefined {
  if (data.length > 64) return undefined;
  if (data === "l") return { kind: "categories" };
  const [head = "", a, b, c, ...rest] = data.split(":");
  if (rest.length > 0) return undefined;
  const id = a !== undefined && /^\d{1,12}$/.test(a) ? Number(a) : undefined;
  if (head === "ty") return id !== undefined && isUpdateType(b) && c === undefined ? { kind: "type", id, type: b } : undefined;
  if (head === "tys") {
    return id !== undefined && isUpdateType(b) && (c === "0" || c === "1") ? { kind: "typeStatus", id, type: b, change: c === "1" } : undefined;
  }
  if (c !== undefined) return undefined;
  if (head === "l") {
    return isCategory(a) && b !== undefined && /^\d{1,4}$/.test(b) ? { kind: "category", category: a, page: Number(b) } : undefined;
  }
  if (b !== undefined || a === undefined) return undefined;
  if (head === "lang") return /^[a-z]{2}$/.test(a) ? { kind: "language", lang: a } : undefined;
  if (head === "fg") return a === "yes" || a === "no" ? { kind: "forget", confirm: a === "yes" } : undefined;
  const kind = BY_PREFIX.get(head);
  if (kind === undefined) return undefined;
  if (kind === "approve" || kind === "reject" || kind === "review" || kind === "typeBack") {
    return id !== undefined ? { kind, id } : undefined;
  }
  return SLUG_PATTERN.test(a) ? { kind, slug: a } : undefined;
}

/**
 * Buttons answered inside conversations and by the case desk. Built and matched only through these:
 * a feature never writes callback data of its own. Each fits Telegram's 64 bytes (see `fits`).
 */
export const STEP = {
  /** A person picked from several matches: /submit and /editcase. */
  submitPerson: (slug: string) => `sbp:${slug}`,
  editPerson: (slug: string) => `ae:p:${slug}`,
  submitSkip: "sb:skip",
  submitShowId: "sb:id",
  submitAnonymous: "sb:anon",
  submitSend: "sb:send",
  submitCancel: "sb:cancel",
  hearingSkip: "hd:skip",
  reasonSkip: "rr:skip",
  newSkip: "an:skip",
  newSave: "an:save",
  newCancel: "an:cancel",
  newCategory: (c: string) => `an:c:${c}`,
  newRole: (r: string) => `an:r:${r}`,
  newStatus: (s: string) => `an:s:${s}`,
  newLang: (l: string) => `an:l:${l}`,
  editField: (f: string) => `ae:f:${f}`,
  editValue: (v: string) => `ae:v:${v}`,
  editFieldCancel: "ae:f:cancel",
  editValueCancel: "ae:v:cancel",
  /** The one "waiting for a second moderator" pair of buttons, whatever waits. */
  confirmRevision: (id: number) => `rv:${id}`,
  discardRevision: (id: number) => `rvx:${id}`,
  history: (slug: string) => `ah:${slug}`,
  translate: (slug: string, field: string) => `ce:${slug}:${field}`,
  /** /stale: a page of the list, and "still true" for one case. */
  stalePage: (page: number) => `st:p:${page}`,
  staleReview: (slug: string) => `st:ok:${slug}`,
} as const;

export const STEP_PATTERN = {
  submitPerson: /^sbp:([a-z0-9-]{1,60})$/,
  editPerson: /^ae:p:([a-z0-9-]{1,60})$/,
  newCategory: /^an:c:([a-z_]{1,32})$/,
  newRole: /^an:r:([a-z_]{1,32})$/,
  newStatus: /^an:s:([a-z_]{1,32})$/,
  newLang: /^an:l:([a-z]{2})$/,
  editField: /^ae:f:([a-z_]{1,16})$/,
  editValue: /^ae:v:([a-z_]{1,32})$/,
  confirmRevision: /^rv:(\d{1,12})$/,
  discardRevision: /^rvx:(\d{1,12})$/,
  history: /^ah:([a-z0-9-]{1,60})$/,
  translate: /^ce:([a-z0-9-]{1,60}):([a-z_]{1,16})$/,
  stalePage: /^st:p:(\d{1,6})$/,
  staleReview: /^st:ok:([a-z0-9-]{1,60})$/,
  /** Buttons of a case-desk conversation pressed after it ended (or forged). */
  deskStep: /^a[ne]:/,
  /** Buttons of a submission's decision. */
  decision: /^(ap|rj|q|ty|tys|tb):/,
} as const;

/** Whether callback data fits Telegram's 64 bytes. */
export function fits(data: string): boolean {
  return Buffer.byteLength(data, "utf8") <= 64;
}

import { SLUG_PATTERN } from "../domain/codes.js";

/**
 * t.me/<bot>?start=<payload> links, built and read back here. Telegram allows 1-64 characters of
 * A-Z a-z 0-9 _ - in a payload; a slug's hyphens travel as underscores.
 */
export type StartPayload = { kind: "case" | "news"; slug: string } | { kind: "submit" };

const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

export const START = {
  case: (slug: string) => `case_${slug.replace(/-/g, "_")}`,
  news: (slug: string) => `news_${slug.replace(/-/g, "_")}`,
  submit: "submit",
} as const;

/** The link that opens a private chat with the bot; a payload Telegram would refuse is left out. */
export function startUrl(username: string, payload?: string): string {
  const base = `https://t.me/${username}`;
  return payload !== undefined && PAYLOAD.test(payload) ? `${base}?start=${payload}` : base;
}

export function parseStart(payload: string): StartPayload | undefined {
  const text = payload.trim();
  if (text === START.submit) return { kind: "submit" };
  const match = /^(case|news)_([a-z0-9_-]{1,60})$/.exec(text);
  if (!match) return undefined;
  const slug = match[2]!.replace(/_/g, "-");
  return SLUG_PATTERN.test(slug) ? { kind: match[1] as "case" | "news", slug } : undefined;
}

import type { Context } from "hono";

/** The opaque part of an entity tag, without W/ (If-None-Match compares weakly). */
function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, "");
}

/**
 * Sets ETag and says whether the client's copy (If-None-Match) is current, in which case the
 * caller answers 304 without a body.
 */
export function notModified(c: Context, etag: string): boolean {
  c.header("ETag", etag);
  const header = c.req.header("if-none-match");
  if (!header) return false;
  if (header.trim() === "*") return true;
  const mine = opaque(etag);
  return header.split(",").some((t) => opaque(t) === mine);
}

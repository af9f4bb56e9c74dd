import type { Context } from "hono";
import { isCategory } from "../domain/codes.js";
import type { WebDeps } from "./deps.js";

/**
 * The public pages answered from copies (replay.ts), each with what names its content: the page and
 * the revision of the data it shows. Undefined sends a request through the app as usual (a case that
 * is not public, an unusual page number). Pages that depend on anything else (a search, the Mini App's
 * reader, a conditional request's ETag) are not listed here.
 */
export function replayedPages(deps: WebDeps): Array<[path: string, pageOf: (c: Context) => string | undefined]> {
  const { cases, stats } = deps.services;
  return [
    [
      "/cases/:slug",
      (c) => {
        const slug = c.req.param("slug");
        // Keyed by the case, not the path: other spellings of the same path (percent-encoded) share one copy.
        return slug !== undefined && cases.brief(slug) ? `case:${slug}@${cases.revision(slug)}` : undefined;
      },
    ],
    ["/", () => `home@${cases.siteRevision()}`],
    [
      "/categories/:category",
      (c) => {
        const category = c.req.param("category");
        const page = c.req.query("page") ?? "1";
        return category !== undefined && isCategory(category) && /^[1-9][0-9]{0,3}$/.test(page) ? `category:${category}:${page}@${cases.siteRevision()}` : undefined;
      },
    ],
    ["/stats", () => `stats@${cases.siteRevision()}@${stats.period()}`],
  ];
}

import type { Context, MiddlewareHandler } from "hono";
import { isPersonalRequest } from "./cache.js";
import { chooseLang } from "./lang.js";

interface Answer {
  headers: Readonly<Record<string, string>>;
  body: Uint8Array<ArrayBuffer>;
}

/**
 * Answers a public page from a copy of an earlier complete answer, when nothing that answer depended on
 * has changed: which page at which revision (given by `pageOf`, e.g. "slug@revision"; undefined sends the
 * request through the app) and the request's shape as the app's middleware reads it (the language chosen,
 * whether the answer sets the language cookie, whether the request carries cookies or credentials).
 *
 * Mounted before every other middleware: a miss goes through the whole app, and its 200 answer (body
 * and every header, security and cache headers included) is kept as it left. A hit is a plain record
 * of headers and bytes that the server writes without building a Headers object: the cost of a page
 * becomes close to that of sending its bytes.
 */
export function replayPublicPage(pageOf: (c: Context) => string | undefined, maxEntries = 2000): MiddlewareHandler {
  const answers = new Map<string, Answer>();
  return async (c, next) => {
    // A conditional request may be answered 304 by the page's own ETag: always through the app.
    const conditional = c.req.header("if-none-match") !== undefined || c.req.header("if-modified-since") !== undefined;
    const page = conditional ? undefined : pageOf(c);
    if (page === undefined) return next();
    const { lang, remember } = chooseLang(c);
    const key = `${page}|${lang}|${remember ? 1 : 0}|${isPersonalRequest(c) ? 1 : 0}`;
    const hit = answers.get(key);
    if (hit !== undefined) return new Response(hit.body, { status: 200, headers: hit.headers });
    await next();
    const res = c.res;
    // Only a plain 200 answer with at most one cookie is kept (a record holds one value per header). The
    // key was taken before the answer was made: if the data changed meanwhile, the key is already old.
    if (res.status !== 200 || res.headers.getSetCookie().length > 1) return;
    const body = new Uint8Array(await res.clone().arrayBuffer());
    if (answers.size >= maxEntries) answers.clear();
    answers.set(key, { headers: Object.freeze(Object.fromEntries(res.headers)), body });
  };
}

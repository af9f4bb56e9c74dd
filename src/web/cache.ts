import type { Context, MiddlewareHandler } from "hono";

/**
 * Public pages may be cached briefly by browsers and proxies, per language: they are the same for
 * every reader. A response that sets a cookie (a language chosen with ?lang=) or is marked private is
 * never stored by a shared cache.
 */
export function publicPage(maxAgeSeconds = 60): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.headers.has("cache-control")) return;
    if (c.res.headers.has("set-cookie")) c.res.headers.set("Cache-Control", NO_STORE);
    else c.res.headers.set("Cache-Control", `public, max-age=${maxAgeSeconds}`);
    c.res.headers.append("Vary", "Accept-Language, Cookie");
  };
}

/** Anything that depends on who asks (the Mini App's follow state, a write): never stored anywhere. */
export const NO_STORE = "private, no-store";

/** The Mini App's pages and its API: opened inside Telegram for one reader. */
export function isMiniAppPath(path: string): boolean {
  return path === "/app" || path.startsWith("/app/");
}

/**
 * A request whose answer may depend on who asks: it carries cookies (the language a reader chose) or
 * credentials (a Mini App's initData).
 */
export function isPersonalRequest(c: Context): boolean {
  return c.req.header("cookie") !== undefined || c.req.header("authorization") !== undefined;
}

/**
 * The last word on caching, for every response but the static files: one that may depend on who asks
 * is never stored, by a browser or by anything between. That is a request carrying cookies (the
 * language a reader chose) or credentials (a Mini App's initData), a response that sets a cookie, and
 * everything under /app (opened inside Telegram for one reader, and carrying a per-response nonce).
 */
export function neverCachePersonal(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.path.startsWith("/static/")) return;
    const personal = isMiniAppPath(c.req.path) || isPersonalRequest(c) || c.res.headers.has("set-cookie");
    if (personal) c.res.headers.set("Cache-Control", NO_STORE);
  };
}

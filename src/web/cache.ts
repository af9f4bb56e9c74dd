import type { MiddlewareHandler } from "hono";

/**
 * Public pages may be cached briefly by browsers and proxies, per language: they are the same for
 * every reader. A response that sets a cookie (a language chosen with ?lang=) or is marked private is
 * never stored by a shared cache.
 */
export function publicPage(maxAgeSeconds = 60): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.headers.has("cache-control")) return;
    if (c.res.headers.has("set-cookie")) c.res.headers.set("Cache-Control", "private, no-store");
    else c.res.headers.set("Cache-Control", `public, max-age=${maxAgeSeconds}`);
    c.res.headers.append("Vary", "Accept-Language, Cookie");
  };
}

/** Anything that depends on who asks (the Mini App's follow state, a write): never stored anywhere. */
export const NO_STORE = "private, no-store";

import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { SLUG_PATTERN } from "../../domain/codes.js";
import { NO_STORE } from "../cache.js";
import type { WebDeps, WebEnv } from "../deps.js";
import { initDataFromHeader, miniAppUser } from "../init-data.js";
import { countersOf } from "../limits.js";
import { rateLimit } from "../rate-limit.js";

/**
 * The Mini App's writes: follow and unfollow a case through the same subscriptions as the bot. Each
 * request carries Telegram's initData; a forged, stale or missing one gets 401 and changes nothing.
 * Answers depend on who asks, so they are never cached.
 */
export function miniAppRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use("/app/api/*", async (c, next) => {
    await next();
    c.res.headers.set("Cache-Control", NO_STORE);
  });
  app.use("/app/api/*", rateLimit(countersOf(deps).api, (c, retry) => c.json({ error: "rate_limited", retry_after: retry }, 429)));
  app.use("/app/api/*", bodyLimit({ maxSize: 4096, onError: (c) => c.json({ error: "too_large" }, 413) }));

  const readRequest = async (c: Context<WebEnv>) => {
    const user = miniAppUser(initDataFromHeader(c.req.header("authorization")), deps.botToken);
    if (!user) return { error: c.json({ error: "unauthorized" }, 401) } as const;
    const body = (await c.req.json().catch(() => undefined)) as { slug?: unknown; follow?: unknown } | undefined;
    const slug = body?.slug;
    if (typeof slug !== "string" || !SLUG_PATTERN.test(slug) || !deps.services.cases.brief(slug)) {
      return { error: c.json({ error: "not_found" }, 404) } as const;
    }
    return { user, slug, follow: body?.follow } as const;
  };

  app.post("/app/api/following", async (c) => {
    const r = await readRequest(c);
    if ("error" in r) return r.error;
    return c.json({ following: await deps.services.subscriptions.isSubscribed(r.user.id, r.slug) });
  });

  app.post("/app/api/follow", async (c) => {
    const r = await readRequest(c);
    if ("error" in r) return r.error;
    if (typeof r.follow !== "boolean") return c.json({ error: "bad_request" }, 400);
    if (r.follow) {
      const lang = await deps.services.users.language(r.user.id, r.user.languageCode);
      await deps.services.subscriptions.subscribe(r.user.id, r.slug, lang);
    } else {
      await deps.services.subscriptions.unsubscribe(r.user.id, r.slug);
    }
    return c.json({ following: await deps.services.subscriptions.isSubscribed(r.user.id, r.slug) });
  });
  return app;
}

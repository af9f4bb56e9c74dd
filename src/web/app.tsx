import { Hono, type Context } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { isMiniAppPath, neverCachePersonal } from "./cache.js";
import { MessagePage } from "./layout.js";
import { resolveLang } from "./lang.js";
import { pageCtx } from "./page.js";
import { replayPublicPage } from "./replay.js";
import { replayedPages } from "./replayed-pages.js";
import type { WebDeps, WebEnv } from "./deps.js";
import { pageModules, routeModules } from "./routes/index.js";
import { staticRoutes } from "./static.js";

export interface WebAppOptions {
  /** Webhook mode: the path of WEBHOOK_URL and the handler that takes Telegram's POSTs. */
  webhook?: { path: string; handle(c: Context): Promise<Response> };
  /** Answer the pages of replayed-pages.ts from copies of earlier answers (replay.ts). On unless false (tests compare both). */
  replayPages?: boolean;
}

/**
 * The one HTTP app of a process: Telegram's webhook (when in webhook mode), /healthz, the static
 * files and every route module of `routes/` (pages, API, Mini App, …). The web reaches the data
 * through `deps.services` only.
 */
export function createWebApp(deps: WebDeps, options: WebAppOptions = {}): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  // Before anything else: Telegram's POSTs never go through page middleware.
  if (options.webhook) {
    const { path, handle } = options.webhook;
    app.post(path, (c) => handle(c));
  }

  // The most read public pages (cards, the start page, categories, /stats) are answered from a copy of an
  // earlier complete answer while their data and the request's shape are unchanged. Before all other
  // middleware: a miss goes through all of it, and so the copy carries every header it set.
  if (options.replayPages !== false) {
    for (const [path, pageOf] of replayedPages(deps)) app.get(path, replayPublicPage(pageOf));
  }

  // Outermost after the webhook: it has the last word on Cache-Control of everything below.
  app.use("*", neverCachePersonal());

  app.get("/healthz", async (c) => {
    const report = await deps.health().catch(() => ({ ok: false, checks: {} }));
    c.header("Cache-Control", "no-store");
    return c.json(report, report.ok ? 200 : 503);
  });

  // A strict CSP everywhere. Public pages run no script at all; Mini App pages (/app) load Telegram's
  // script and ours from this server, each with the response's nonce. No inline script anywhere.
  const csp = (scriptSrc: Array<string | typeof NONCE>) =>
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc,
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        // Telegram's web clients show a Mini App in a frame.
        frameAncestors: ["'self'", "https://web.telegram.org"],
      },
      xFrameOptions: false,
      crossOriginEmbedderPolicy: false,
      crossOriginResourcePolicy: "cross-origin",
    });
  const miniAppCsp = csp([NONCE]);
  const publicCsp = csp(["'none'"]);
  app.use("*", (c, next) => (isMiniAppPath(c.req.path) ? miniAppCsp(c, next) : publicCsp(c, next)));
  app.use("*", async (c, next) => {
    const lang = resolveLang(c);
    c.set("lang", lang);
    c.set("t", deps.i18n.t(lang));
    c.set("nonce", c.get("secureHeadersNonce" as never) ?? "");
    await next();
  });

  app.route("/", staticRoutes());
  for (const mount of [...pageModules, ...routeModules]) app.route("/", mount(deps));
  // The Mini App: the same pages under /app, with Telegram's script, theme and back button.
  const asMiniApp = async (c: Context<WebEnv>, next: () => Promise<void>) => {
    c.set("miniApp", true);
    await next();
  };
  app.use("/app", asMiniApp);
  app.use("/app/*", asMiniApp);
  for (const mount of pageModules) app.route("/app", mount(deps));

  const message = (c: Context<WebEnv>, status: 404 | 500, key: "not_found" | "error") => {
    if (c.req.path.startsWith("/api/")) return c.json({ error: key }, status);
    const page = pageCtx(c, deps);
    const t = page.t;
    c.header("Cache-Control", "no-store");
    return c.html(
      <MessagePage
        page={page}
        meta={{ title: t(`web.${key}.title`), path: "/", noindex: true }}
        heading={t(`web.${key}.title`)}
        text={t(`web.${key}.text`)}
      />,
      status,
    );
  };
  app.notFound((c) => message(c as Context<WebEnv>, 404, "not_found"));
  // No stack trace ever reaches a visitor: the error is logged, the page says only that it failed.
  app.onError((err, c) => {
    deps.logger.error("web request failed", { err, path: c.req.path });
    return message(c as Context<WebEnv>, 500, "error");
  });
  return app;
}

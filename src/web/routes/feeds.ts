import { createHash } from "node:crypto";
import { type Context, Hono } from "hono";
import { renderAtom } from "../../feeds/atom.js";
import type { WebDeps, WebEnv } from "../deps.js";
import { notModified } from "../etag.js";

export const FEED_TYPE = "application/atom+xml; charset=utf-8";

/**
 * Atom feeds of approved updates in the reader's language (`?lang=`, else as for pages):
 * `/feeds/updates.atom` for every case, `/feeds/cases/<slug>.atom` for one.
 */
export function feedRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const send = (c: Context<WebEnv>, xml: string) => {
    c.header("Cache-Control", "public, no-cache");
    c.header("Vary", "Accept-Language, Cookie");
    if (notModified(c, `"${createHash("sha256").update(xml).digest("base64url").slice(0, 27)}"`)) return c.body(null, 304);
    c.header("Content-Type", FEED_TYPE);
    return c.body(xml);
  };

  app.get("/feeds/updates.atom", async (c) => {
    const lang = c.get("lang");
    const xml = renderAtom(await deps.services.feeds.latest(), {
      publicUrl: deps.publicUrl,
      lang,
      t: c.get("t"),
      selfUrl: `${deps.publicUrl}/feeds/updates.atom?lang=${lang}`,
      emptyUpdated: new Date(),
    });
    return send(c, xml);
  });

  app.get("/feeds/cases/:file{[a-z0-9-]+\\.atom}", async (c) => {
    const slug = c.req.param("file").slice(0, -".atom".length);
    const found = await deps.services.feeds.ofCase(slug);
    if (!found) return c.notFound();
    const lang = c.get("lang");
    const xml = renderAtom(found.entries, {
      publicUrl: deps.publicUrl,
      lang,
      t: c.get("t"),
      selfUrl: `${deps.publicUrl}/feeds/cases/${slug}.atom?lang=${lang}`,
      case: { slug, names: found.names },
      emptyUpdated: new Date(),
    });
    return send(c, xml);
  });
  return app;
}

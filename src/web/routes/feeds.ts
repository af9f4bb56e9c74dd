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
  /**
   * Feeds by revision of what they list and language: making one (a query and the XML) costs about a
   * hundred times what sending it does, and feed readers poll. Kept with its ETag, so a reader's
   * conditional request is answered without making the feed again.
   */
  const made = new Map<string, { xml: string; etag: string }>();
  const send = async (c: Context<WebEnv>, key: string, make: () => Promise<string | undefined>) => {
    // The key is taken before the feed is made: if the data changes meanwhile, the key is already old.
    let feed = made.get(key);
    if (!feed) {
      const xml = await make();
      if (xml === undefined) return c.notFound();
      feed = { xml, etag: `"${createHash("sha256").update(xml).digest("base64url").slice(0, 27)}"` };
      if (made.size >= 1000) made.clear();
      made.set(key, feed);
    }
    c.header("Cache-Control", "public, no-cache");
    c.header("Vary", "Accept-Language, Cookie");
    if (notModified(c, feed.etag)) return c.body(null, 304);
    c.header("Content-Type", FEED_TYPE);
    return c.body(feed.xml);
  };

  app.get("/feeds/updates.atom", (c) => {
    const lang = c.get("lang");
    return send(c, `all@${deps.services.cases.siteRevision()}|${lang}`, async () =>
      renderAtom(await deps.services.feeds.latest(), {
        publicUrl: deps.publicUrl,
        lang,
        t: c.get("t"),
        selfUrl: `${deps.publicUrl}/feeds/updates.atom?lang=${lang}`,
        emptyUpdated: new Date(),
      }),
    );
  });

  app.get("/feeds/cases/:file{[a-z0-9-]+\\.atom}", (c) => {
    const slug = c.req.param("file").slice(0, -".atom".length);
    // Only public cases have a feed: anything else is not kept (nor made).
    if (!deps.services.cases.brief(slug)) return c.notFound();
    const lang = c.get("lang");
    return send(c, `case:${slug}@${deps.services.cases.revision(slug)}|${lang}`, async () => {
      const found = await deps.services.feeds.ofCase(slug);
      if (!found) return undefined;
      return renderAtom(found.entries, {
        publicUrl: deps.publicUrl,
        lang,
        t: c.get("t"),
        selfUrl: `${deps.publicUrl}/feeds/cases/${slug}.atom?lang=${lang}`,
        case: { slug, names: found.names },
        emptyUpdated: new Date(),
      });
    });
  });
  return app;
}

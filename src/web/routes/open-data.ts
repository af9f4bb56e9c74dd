import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import type { WebDeps, WebEnv } from "../deps.js";
import { notModified } from "../etag.js";
import type { ExportFile } from "../../services/open-data.js";

/**
 * Open data: `GET /api/v1/export.json` (the document `npm run export` writes) and
 * `GET /api/v1/export.csv` (one row per person). Anyone may read them from any origin; each carries
 * an ETag, and a client that sends it back gets 304 until a moderator changes something.
 */
export function openDataRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const open = cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["ETag"], maxAge: 86400 });
  app.use("/api/v1/export.json", open);
  app.use("/api/v1/export.csv", open);

  const serve = (c: Context<WebEnv>, file: ExportFile, type: string, name: string) => {
    // Revalidated on every use, so a change shows at once; the tag makes that cheap.
    c.header("Cache-Control", "public, no-cache");
    if (notModified(c, file.etag)) return c.body(null, 304);
    c.header("Content-Type", type);
    c.header("Content-Disposition", `inline; filename="${name}"`);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>);
  };
  app.get("/api/v1/export.json", async (c) => serve(c, await deps.services.openData.json(), "application/json; charset=utf-8", "kz-cases.json"));
  app.get("/api/v1/export.csv", async (c) => serve(c, await deps.services.openData.csv(), "text/csv; charset=utf-8; header=present", "kz-cases.csv"));
  return app;
}

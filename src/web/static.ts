import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import type { WebEnv } from "./deps.js";

export const PUBLIC_DIR = fileURLToPath(new URL("../../public", import.meta.url));

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
};

/** The few static files (styles, the Mini App scripts), read once and served with an ETag. */
export function staticRoutes(): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const cache = new Map<string, { body: Buffer; etag: string; type: string }>();
  app.get("/static/:name{[a-z0-9-]+\\.(?:css|js|svg|png)}", (c) => {
    const name = c.req.param("name");
    let file = cache.get(name);
    if (!file) {
      const path = `${PUBLIC_DIR}/${name}`;
      if (!existsSync(path)) return c.notFound();
      const body = readFileSync(path);
      const ext = name.slice(name.lastIndexOf(".") + 1);
      file = { body, etag: `"${createHash("sha1").update(body).digest("base64url")}"`, type: TYPES[ext] ?? "application/octet-stream" };
      cache.set(name, file);
    }
    c.header("ETag", file.etag);
    c.header("Cache-Control", "public, max-age=3600");
    if (c.req.header("if-none-match") === file.etag) return c.body(null, 304);
    c.header("Content-Type", file.type);
    return c.body(new Uint8Array(file.body).buffer);
  });
  return app;
}

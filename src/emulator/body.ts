import type { IncomingMessage } from "node:http";
import { badRequest, type Params } from "./errors.js";

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Multipart text fields as strings; file fields as {filename, size}. */
function parseMultipart(buf: Buffer, boundary: string): Params {
  const out: Params = {};
  const raw = buf.toString("latin1");
  for (const part of raw.split(`--${boundary}`)) {
    const sep = part.indexOf("\r\n\r\n");
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    let body = part.slice(sep + 4);
    if (body.endsWith("\r\n")) body = body.slice(0, -2);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) continue;
    // grammY writes filename=stats.png without quotes; browsers and curl quote it.
    const filename = /filename=(?:"([^"]*)"|([^";\r\n]+))/i.exec(head)?.slice(1).find((v) => v !== undefined);
    out[name] = filename !== undefined ? { filename, size: body.length } : Buffer.from(body, "latin1").toString("utf8");
  }
  return out;
}

/** Params from the query string and a JSON, urlencoded or multipart body (body wins). */
export function parseParams(query: URLSearchParams, body: Buffer, contentType: string | undefined): Params {
  const params: Params = Object.fromEntries(query);
  if (body.length === 0) return params;
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("multipart/form-data")) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? "")?.[1];
    if (!boundary) throw badRequest("can't parse multipart body");
    return { ...params, ...parseMultipart(body, boundary) };
  }
  if (type.includes("application/x-www-form-urlencoded")) {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString("utf8"))) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw badRequest("can't parse JSON object");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badRequest("can't parse JSON object");
  return { ...params, ...(parsed as Params) };
}

import { Hono } from "hono";
import { cors } from "hono/cors";
import { etag } from "hono/etag";
import type { CaseBrief, CaseDetail, Localized, TimelineEvent } from "../../domain/case.js";
import { isCategory, isStatus, SLUG_PATTERN } from "../../domain/codes.js";
import { pageCount } from "../../domain/paging.js";
import type { WebDeps, WebEnv } from "../deps.js";
import { countersOf } from "../limits.js";
import { rateLimit } from "../rate-limit.js";

export const API_MAX_PER_PAGE = 100;

/** Field names of the open data are snake_case and stable; the README documents each one. */
function namesJson(b: CaseBrief) {
  return { en: b.names.en, ru: b.names.ru, kk: b.names.kk, kk_latn: b.names.kkLatn };
}

function localizedJson(l: Localized) {
  return { en: l.en ?? null, ru: l.ru ?? null, kk: l.kk ?? null };
}

export function briefJson(b: CaseBrief, publicUrl: string) {
  return { slug: b.slug, names: namesJson(b), category: b.category, status: b.status, url: `${publicUrl}/cases/${b.slug}` };
}

function eventJson(e: TimelineEvent) {
  return {
    date: e.date,
    origin: e.origin,
    type: e.updateType,
    text: localizedJson(e.text),
    original_lang: e.originalLang,
    source_url: e.sourceUrl,
    status_from: e.statusFrom,
    status_to: e.statusTo,
    hearing_date: e.hearingDate,
  };
}

export function detailJson(d: CaseDetail, publicUrl: string) {
  return {
    ...briefJson(d, publicUrl),
    role: d.role,
    aliases: d.aliases,
    name_confirmed: d.nameConfirmed,
    status_basis: d.freshness.basis,
    status_since: d.statusChangedAt,
    status_source: d.statusSource,
    status_confirmed_at: d.freshness.confirmedAt,
    origin: d.origin,
    added_at: d.origin === "moderators" ? d.createdAt : null,
    added_source: d.addedSource,
    summary: localizedJson(d.summary),
    source: d.source ? { title: localizedJson(d.source.title), url: d.source.url, as_of: d.source.asOf } : null,
    events: d.events.map(eventJson),
  };
}

function intParam(raw: string | undefined, fallback: number, min: number, max: number): number | undefined {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/**
 * The open data API, read-only: `GET /api/v1/cases` (paged; `category`, `status`, `q`) and
 * `GET /api/v1/cases/<slug>`. CORS is open for GET; responses carry an ETag (304 on a match) and may be
 * cached for a minute. Only public cases and approved updates: the services give nothing else.
 */
export function apiRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const counters = countersOf(deps);
  const tooMany = (c: Parameters<Parameters<typeof rateLimit>[1]>[0], retry: number) => c.json({ error: "rate_limited", retry_after: retry }, 429);
  app.use("/api/*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], maxAge: 86400 }));
  app.use("/api/*", rateLimit(counters.api, tooMany));
  app.use("/api/*", etag());
  app.use("/api/*", async (c, next) => {
    await next();
    if (c.res.status === 200 && !c.res.headers.has("cache-control")) c.res.headers.set("Cache-Control", "public, max-age=60");
  });

  const searchLimit = rateLimit(counters.search, tooMany);
  app.get("/api/v1/cases", async (c, next) => (c.req.query("q") !== undefined ? searchLimit(c, next) : next()), (c) => {
    const q = c.req.query("q");
    const category = c.req.query("category");
    const status = c.req.query("status");
    const page = intParam(c.req.query("page"), 1, 1, 1_000_000);
    const perPage = intParam(c.req.query("per_page"), 20, 1, API_MAX_PER_PAGE);
    if (category !== undefined && !isCategory(category)) return c.json({ error: "bad_category" }, 400);
    if (status !== undefined && !isStatus(status)) return c.json({ error: "bad_status" }, 400);
    if (page === undefined || perPage === undefined) return c.json({ error: "bad_page" }, 400);

    let match: "one" | "many" | "none" | undefined;
    let list: CaseBrief[];
    let suggestions: CaseBrief[] = [];
    if (q !== undefined && q.trim() !== "") {
      const found = deps.services.cases.find(q, 50);
      match = found.type === "empty" ? "none" : found.type;
      list = found.type === "one" ? [found.case] : found.type === "many" ? found.cases : [];
      if (found.type === "none") suggestions = found.suggestions;
    } else {
      list = [...deps.services.cases.all()].sort((a, b) => a.names.en.localeCompare(b.names.en, "en"));
    }
    list = list.filter((b) => (category === undefined || b.category === category) && (status === undefined || b.status === status));
    const total = list.length;
    const items = list.slice((page - 1) * perPage, page * perPage);
    return c.json({
      data: items.map((b) => briefJson(b, deps.publicUrl)),
      page,
      per_page: perPage,
      total,
      pages: pageCount(total, perPage),
      ...(match ? { match, suggestions: suggestions.map((b) => briefJson(b, deps.publicUrl)) } : {}),
    });
  });

  app.get("/api/v1/cases/:slug", async (c) => {
    const slug = c.req.param("slug");
    if (!SLUG_PATTERN.test(slug) || !deps.services.cases.brief(slug)) return c.json({ error: "not_found" }, 404);
    const detail = await deps.services.cases.get(slug);
    if (!detail) return c.json({ error: "not_found" }, 404);
    return c.json({ data: detailJson(detail, deps.publicUrl) });
  });
  return app;
}

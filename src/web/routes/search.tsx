import { type Context, Hono } from "hono";
import { publicPage } from "../cache.js";
import type { WebDeps, WebEnv } from "../deps.js";
import { Layout, MessagePage } from "../layout.js";
import { countersOf } from "../limits.js";
import { rateLimit } from "../rate-limit.js";
import { pageCtx } from "../page.js";
import { CaseListItem } from "../views/case.js";
import { SearchForm } from "../views/search-form.js";

/**
 * `/search?q=`: the same search as the bot's /case (any script, typos, declension). One match opens
 * the card; several give a choice; none give the closest names.
 */
export function searchRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const limited = rateLimit(countersOf(deps).search, (c, retry) => {
    const page = pageCtx(c as Context<WebEnv>, deps);
    return c.html(
      <MessagePage page={page} meta={{ title: page.t("web.rate_limited.title"), path: "/", noindex: true }} heading={page.t("web.rate_limited.title")} text={page.t("web.rate_limited.text", { seconds: retry })} />,
      429,
    );
  });
  app.get("/search", limited, publicPage(), (c) => {
    const page = pageCtx(c, deps);
    const { t } = page;
    const q = (c.req.query("q") ?? "").trim();
    const found = deps.services.cases.find(q);
    if (found.type === "empty") return c.redirect(page.link("/"), 302);
    if (found.type === "one") return c.redirect(page.link(`/cases/${found.case.slug}`), 302);
    const list = found.type === "many" ? found.cases : found.suggestions;
    const heading = found.type === "many" ? t("web.search.many", { query: q }) : t("web.search.none", { query: q });
    return c.html(
      <Layout page={page} meta={{ title: heading, path: `/search?q=${encodeURIComponent(q)}`, noindex: true }}>
        <h1>{heading}</h1>
        {found.type === "none" && list.length > 0 ? <p>{t("web.search.closest")}</p> : null}
        <ul class="results">
          {list.map((brief) => (
            <CaseListItem page={page} brief={brief} />
          ))}
        </ul>
        <SearchForm page={page} value={q} />
      </Layout>,
    );
  });
  return app;
}

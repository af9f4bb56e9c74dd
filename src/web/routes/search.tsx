import { Hono } from "hono";
import { publicPage } from "../cache.js";
import type { WebDeps, WebEnv } from "../deps.js";
import { Layout, withLang } from "../layout.js";
import { pageCtx } from "../page.js";
import { CaseListItem } from "../views/case.js";
import { SearchForm } from "../views/search-form.js";

/**
 * `/search?q=`: the same search as the bot's /case (any script, typos, declension). One match opens
 * the card; several give a choice; none give the closest names.
 */
export function searchRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/search", publicPage(), (c) => {
    const page = pageCtx(c, deps);
    const { t, lang } = page;
    const q = (c.req.query("q") ?? "").trim();
    const found = deps.services.cases.find(q);
    if (found.type === "empty") return c.redirect(withLang("/", lang), 302);
    if (found.type === "one") return c.redirect(withLang(`/cases/${found.case.slug}`, lang), 302);
    const list = found.type === "many" ? found.cases : found.suggestions;
    const heading = found.type === "many" ? t("web.search.many", { query: q }) : t("web.search.none", { query: q });
    return c.html(
      <Layout page={page} meta={{ title: heading, path: `/search?q=${encodeURIComponent(q)}`, noindex: true }}>
        <h1>{heading}</h1>
        {found.type === "none" && list.length > 0 ? <p>{t("web.search.closest")}</p> : null}
        <ul class="results">
          {list.map((brief) => (
            <CaseListItem t={t} lang={lang} brief={brief} />
          ))}
        </ul>
        <SearchForm t={t} lang={lang} value={q} />
      </Layout>,
    );
  });
  return app;
}

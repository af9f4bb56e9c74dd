import { Hono } from "hono";
import { displayName } from "../../wording/names.js";
import { publicPage } from "../cache.js";
import type { WebDeps, WebEnv } from "../deps.js";
import { Layout } from "../layout.js";
import { pageCtx } from "../page.js";
import { EventItem } from "../views/case.js";
import { SearchForm } from "../views/search-form.js";

/** `/`: the search box, the categories with their counts, the latest approved updates. */
export function homeRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/", publicPage(), async (c) => {
    const page = pageCtx(c, deps);
    const { t, lang } = page;
    const [counts, latest] = await Promise.all([deps.services.cases.categoryCounts(), deps.services.feeds.latest(10)]);
    return c.html(
      <Layout page={page} meta={{ title: t("web.site_name"), description: t("web.tagline"), path: "/" }}>
        <h1>{t("web.site_name")}</h1>
        <p class="tagline">{t("web.tagline")}</p>
        <SearchForm page={page} />
        <section>
          <h2>{t("web.categories")}</h2>
          <ul class="categories">
            {counts.map(({ category, count }) => (
              <li>
                <a href={page.link(`/categories/${category}`)}>{t(`category_plural.${category}`)}</a> <span class="count">{count}</span>
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h2>{t("web.latest")}</h2>
          {latest.length === 0 ? (
            <p class="meta">{t("web.no_updates")}</p>
          ) : (
            <ol class="timeline">
              {latest.map((event) => {
                const brief = deps.services.cases.brief(event.slug);
                return brief ? <EventItem t={t} lang={lang} event={event} caseLink={{ href: page.link(`/cases/${event.slug}`), name: displayName(brief.names, lang) }} /> : null;
              })}
            </ol>
          )}
        </section>
      </Layout>,
    );
  });
  return app;
}

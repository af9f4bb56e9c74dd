import { Hono } from "hono";
import { Layout, withLang } from "../layout.js";
import type { WebDeps, WebEnv } from "../deps.js";
import { pageCtx } from "../page.js";

/** `/`: the search box and the categories with their counts. */
export function homeRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/", async (c) => {
    const page = pageCtx(c, deps);
    const { t, lang } = page;
    const counts = await deps.services.cases.categoryCounts();
    return c.html(
      <Layout page={page} meta={{ title: t("web.site_name"), description: t("web.tagline"), path: "/" }}>
        <h1>{t("web.site_name")}</h1>
        <p class="tagline">{t("web.tagline")}</p>
        <form class="search" method="get" action="/search" role="search">
          <input type="hidden" name="lang" value={lang} />
          <label for="q">{t("web.search.label")}</label>
          <input id="q" name="q" type="search" maxlength={200} placeholder={t("web.search.placeholder")} />
          <button type="submit">{t("web.search.button")}</button>
        </form>
        <section>
          <h2>{t("web.categories")}</h2>
          <ul class="categories">
            {counts.map(({ category, count }) => (
              <li>
                <a href={withLang(`/categories/${category}`, lang)}>{t(`category_plural.${category}`, { defaultValue: t(`category.${category}`) })}</a>{" "}
                <span class="count">{count}</span>
              </li>
            ))}
          </ul>
        </section>
      </Layout>,
    );
  });
  return app;
}

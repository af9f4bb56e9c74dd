import { Hono } from "hono";
import { isCategory } from "../../domain/codes.js";
import { publicPage } from "../cache.js";
import type { WebDeps, WebEnv } from "../deps.js";
import { Layout } from "../layout.js";
import { pageCtx } from "../page.js";
import { CaseListItem } from "../views/case.js";

export const CATEGORY_PAGE_SIZE = 20;

/** `/categories/<category>?page=N`: the people in one category, 20 a page. */
export function categoryRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/categories/:category", publicPage(), async (c) => {
    const category = c.req.param("category");
    if (!isCategory(category)) return c.notFound();
    const asked = Number(c.req.query("page") ?? "1");
    const pageNo = Number.isInteger(asked) && asked >= 1 && asked <= 100_000 ? asked : 1;
    const list = await deps.services.cases.listCategory(category, pageNo - 1, CATEGORY_PAGE_SIZE);
    const page = pageCtx(c, deps);
    const { t } = page;
    const title = t(`category_plural.${category}`);
    const path = (n: number) => (n > 1 ? `/categories/${category}?page=${n}` : `/categories/${category}`);
    const current = list.page + 1;
    return c.html(
      <Layout page={page} meta={{ title, path: path(current) }}>
        <h1>{title}</h1>
        <p class="meta">{t("people", { count: list.total })}</p>
        <ul class="results">
          {list.items.map((brief) => (
            <CaseListItem page={page} brief={brief} />
          ))}
        </ul>
        {list.pages > 1 ? (
          <nav class="pager" aria-label={t("web.pages")}>
            {current > 1 ? (
              <a rel="prev" href={page.link(path(current - 1))}>
                {t("web.prev")}
              </a>
            ) : null}
            <span>{t("web.page_of", { page: current, pages: list.pages })}</span>
            {current < list.pages ? (
              <a rel="next" href={page.link(path(current + 1))}>
                {t("web.next")}
              </a>
            ) : null}
          </nav>
        ) : null}
      </Layout>,
    );
  });
  return app;
}

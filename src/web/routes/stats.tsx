import { Hono } from "hono";
import { raw } from "hono/html";
import { type Figure, labelFigures, statsCharts, statsSummary, dayName } from "../../charts/stats-charts.js";
import type { Chart } from "../../charts/svg.js";
import type { WebDeps, WebEnv } from "../deps.js";
import { Layout, withLang } from "../layout.js";
import { pageCtx } from "../page.js";

/** A chart with its heading; the SVG is built and escaped by src/charts, so it goes in as markup. */
function ChartFigure(props: { id: string; title: string; chart: Chart }) {
  return (
    <section class="chart" aria-labelledby={`${props.id}-heading`}>
      <h2 id={`${props.id}-heading`}>{props.title}</h2>
      <figure>{raw(props.chart.svg)}</figure>
    </section>
  );
}

function FigureTable(props: { caption: string; head: string; unit: string; rows: Figure[]; total?: { label: string; count: number } }) {
  return (
    <table class="figures">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.head}</th>
          <th scope="col">{props.unit}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <th scope="row">{r.label}</th>
            <td>{r.count}</td>
          </tr>
        ))}
      </tbody>
      {props.total ? (
        <tfoot>
          <tr>
            <th scope="row">{props.total.label}</th>
            <td>{props.total.count}</td>
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}

/** `/stats`: the counts by category and status and the approved updates per month, as charts and as tables. */
export function statsRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.get("/stats", async (c) => {
    const page = pageCtx(c, deps);
    const { t, lang } = page;
    const stats = await deps.services.stats.get();
    // Drawn at a phone's width: text stays legible there, and grows a little on wider screens.
    const charts = statsCharts(stats, t, lang, "chart", false, 440);
    const figures = labelFigures(stats, t, lang);
    const summary = statsSummary(stats, t, lang);
    c.header("Cache-Control", "no-cache");
    return c.html(
      <Layout page={page} meta={{ title: t("stats.heading"), description: summary, path: "/stats" }}>
        <h1>{t("stats.heading")}</h1>
        <p class="lead">{summary}</p>
        <ChartFigure id="by-category" title={t("stats.by_category")} chart={charts.byCategory} />
        <ChartFigure id="by-status" title={t("stats.by_status")} chart={charts.byStatus} />
        <ChartFigure id="by-month" title={t("stats.by_month")} chart={charts.byMonth} />
        <section aria-labelledby="tables-heading">
          <h2 id="tables-heading">{t("stats.table_caption")}</h2>
          <FigureTable
            caption={t("stats.by_category")}
            head={t("stats.col_category")}
            unit={t("stats.col_people")}
            rows={figures.byCategory}
            total={{ label: t("stats.total"), count: stats.people }}
          />
          <FigureTable
            caption={t("stats.by_status")}
            head={t("stats.col_status")}
            unit={t("stats.col_people")}
            rows={figures.byStatus}
            total={{ label: t("stats.total"), count: stats.people }}
          />
          <FigureTable
            caption={t("stats.by_month")}
            head={t("stats.col_month")}
            unit={t("stats.col_updates")}
            rows={figures.byMonth}
            total={{ label: t("stats.total"), count: stats.updatesInMonths }}
          />
        </section>
        <p class="hint">{t("stats.as_of", { date: dayName(stats.at, lang) })}</p>
        <section aria-labelledby="open-data-heading">
          <h2 id="open-data-heading">{t("stats.export_title")}</h2>
          <ul class="plain">
            <li>
              <a href="/api/v1/export.csv">CSV</a> · <a href="/api/v1/export.json">JSON</a>
            </li>
            <li>
              <a href={withLang("/feeds/updates.atom", lang)} type="application/atom+xml">
                {t("stats.feed_title")}
              </a>{" "}
              (Atom)
            </li>
          </ul>
        </section>
      </Layout>,
    );
  });
  return app;
}

import { Hono } from "hono";
import type { CaseDetail } from "../../domain/case.js";
import { SLUG_PATTERN } from "../../domain/codes.js";
import { pickText } from "../../wording/localized.js";
import { displayName, spellingNote } from "../../wording/names.js";
import { publicPage } from "../cache.js";
import type { WebDeps, WebEnv } from "../deps.js";
import { Layout, withLang } from "../layout.js";
import { type PageCtx, pageCtx } from "../page.js";
import { EventItem, reportWarning, SourceLink, StatusLine, statusContextText } from "../views/case.js";

/** t.me deep link that opens the card in the bot (start payloads allow only A-Z a-z 0-9 _ -). */
export function followLink(botUsername: string, slug: string): string {
  return `https://t.me/${botUsername}?start=case_${slug.replace(/-/g, "_")}`;
}

function CasePage(props: { page: PageCtx; detail: CaseDetail; botUsername: string | undefined }) {
  const { page, detail } = props;
  const { t, lang } = page;
  const name = displayName(detail.names, lang);
  const path = `/cases/${detail.slug}`;
  const status = `${t(`status.${detail.status}`)} — ${statusContextText(t, detail)}`;
  const summary = pickText(detail.summary, lang);
  const spelling = spellingNote(t, detail);
  const warning = reportWarning(t, detail);
  const updates = detail.events.filter((e) => e.origin === "update").reverse();
  const reportEvents = detail.events.filter((e) => e.origin === "report");
  const url = page.publicUrl + withLang(path, lang);
  // Language names are written for the middle of a sentence ("original in Kazakh"): capitalised as labels.
  const label = (text: string) => text.charAt(0).toLocaleUpperCase(lang) + text.slice(1);
  const scripts: Array<[string, string | null]> = [
    [label(t("language.name_en")), detail.names.en],
    [label(t("language.name_ru")), detail.names.ru],
    [label(t("language.name_kk")), detail.names.kk],
    [t("web.card.kk_latin"), detail.names.kkLatn],
  ];
  return (
    <Layout page={page} meta={{ title: name, description: status, path, og: { type: "profile", title: name, description: `${t(`category.${detail.category}`)}. ${status}` } }}>
      <article class="case">
        <h1>{name}</h1>
        <dl class="facts names" aria-label={t("web.card.names")}>
          {scripts.map(([label, value]) =>
            value ? (
              <>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </>
            ) : null,
          )}
        </dl>
        {spelling ? <p class="meta">{spelling}</p> : null}
        <dl class="facts">
          <dt>{t("card.category")}</dt>
          <dd>
            <a href={page.link(`/categories/${detail.category}`)}>{t(`category.${detail.category}`)}</a>
          </dd>
          <dt>{t("card.role")}</dt>
          <dd>{t(`role.${detail.role}`)}</dd>
          <dt>{t("card.status")}</dt>
          <dd class="status">
            <StatusLine t={t} detail={detail} />
          </dd>
        </dl>
        {warning ? <p class="notice">{warning}</p> : null}
        {summary ? (
          <p class="summary">
            {summary.text}
            {summary.lang !== lang ? <span class="meta"> ({t("card.original_language", { lang: t(`language.name_${summary.lang}`) })})</span> : null}
          </p>
        ) : null}
        {page.miniApp ? (
          <div class="follow" id="follow" data-slug={detail.slug} data-follow={t("button.subscribe")} data-unfollow={t("button.unsubscribe")} data-following={t("web.miniapp.following")} data-not-following={t("web.miniapp.not_following")} data-failed={t("web.miniapp.failed")} hidden>
            <button type="button" id="follow-button">
              {t("button.subscribe")}
            </button>{" "}
            <span id="follow-status" class="meta" role="status"></span>
          </div>
        ) : null}
        <div class="actions">
          {props.botUsername ? (
            <a class="button" href={followLink(props.botUsername, detail.slug)}>
              {t("web.card.follow")}
            </a>
          ) : null}
          <a class="button secondary" href={`https://t.me/share/url?url=${encodeURIComponent(url)}&text=${encodeURIComponent(`${name}: ${t(`status.${detail.status}`)}`)}`}>
            {t("web.card.share")}
          </a>
        </div>
        <p class="meta share-link">
          {t("web.card.link")}: <a href={url}>{url}</a>
        </p>
        {updates.length > 0 ? (
          <section>
            <h2>{t("card.latest_updates")}</h2>
            <ol class="timeline">
              {updates.map((e) => (
                <EventItem t={t} lang={lang} event={e} />
              ))}
            </ol>
          </section>
        ) : null}
        <section>
          <h2>{t("card.timeline")}</h2>
          {reportEvents.length > 0 ? (
            <ol class="timeline">
              {reportEvents.map((e) => (
                <EventItem t={t} lang={lang} event={e} />
              ))}
            </ol>
          ) : (
            <p>{t("card.no_events")}</p>
          )}
        </section>
        {detail.source ? (
          <p class="source">
            <strong>{t("card.source")}:</strong>{" "}
            {detail.source.url ? (
              <SourceLink url={detail.source.url} label={pickText(detail.source.title, lang)?.text ?? detail.source.id} />
            ) : (
              (pickText(detail.source.title, lang)?.text ?? detail.source.id)
            )}
          </p>
        ) : null}
      </article>
    </Layout>
  );
}

/** `/cases/<slug>`: the card of one public case. */
export function caseRoutes(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  // Public pages are answered from copies while the card's revision is unchanged (web/replay.ts).
  app.get("/cases/:slug", publicPage(), async (c) => {
    const slug = c.req.param("slug");
    // Only public cases: a new case waiting for its second moderator is not shown anywhere.
    if (!SLUG_PATTERN.test(slug) || !deps.services.cases.brief(slug)) return c.notFound();
    const detail = await deps.services.cases.get(slug);
    if (!detail) return c.notFound();
    return c.html(<CasePage page={pageCtx(c, deps)} detail={detail} botUsername={deps.botUsername} />);
  });
  return app;
}

import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import { LANGS } from "../domain/codes.js";
import { type PageCtx, withLang } from "./page.js";

export interface PageMeta {
  title: string;
  description?: string;
  /** The path and query of this page without `lang` (canonical URL and alternates add it). */
  path: string;
  /** OpenGraph type and any extra tags (a card adds its own). */
  og?: { type?: string; title?: string; description?: string };
  noindex?: boolean;
}

export interface LayoutProps {
  page: PageCtx;
  meta: PageMeta;
  children?: Child;
}

export { withLang } from "./page.js";

/** The page frame: language, alternates, canonical URL, social tags, header with the language switch. */
export function Layout(props: LayoutProps) {
  const { meta } = props;
  const { t, lang, publicUrl, nonce, langNames, miniApp } = props.page;
  const canonical = publicUrl + withLang(meta.path, lang);
  const ogTitle = meta.og?.title ?? meta.title;
  const ogDescription = meta.og?.description ?? meta.description;
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{meta.title === t("web.site_name") ? meta.title : `${meta.title} — ${t("web.site_name")}`}</title>
        {meta.description ? <meta name="description" content={meta.description} /> : null}
        {meta.noindex || miniApp ? <meta name="robots" content="noindex" /> : null}
        <link rel="canonical" href={canonical} />
        {LANGS.map((l) => (
          <link rel="alternate" hreflang={l} href={publicUrl + withLang(meta.path, l)} />
        ))}
        <link rel="alternate" hreflang="x-default" href={publicUrl + meta.path} />
        <meta property="og:site_name" content={t("web.site_name")} />
        <meta property="og:type" content={meta.og?.type ?? "website"} />
        <meta property="og:title" content={ogTitle} />
        {ogDescription ? <meta property="og:description" content={ogDescription} /> : null}
        <meta property="og:url" content={canonical} />
        <meta property="og:locale" content={t("web.og_locale")} />
        <meta name="twitter:card" content="summary" />
        <meta name="twitter:title" content={ogTitle} />
        {ogDescription ? <meta name="twitter:description" content={ogDescription} /> : null}
        <link rel="stylesheet" href="/static/site.css" />
        <link rel="alternate" type="application/atom+xml" title={t("stats.feed_title")} href={`${publicUrl}/feeds/updates.atom?lang=${lang}`} />
        {props.page.miniApp ? <script src="/static/telegram-web-app.js" nonce={nonce}></script> : null}
        {props.page.miniApp ? <script src="/static/miniapp.js" nonce={nonce} defer></script> : null}
      </head>
      <body class={props.page.miniApp ? "miniapp" : undefined}>
        <header class="top">
          <a class="brand" href={props.page.link("/")}>
            {t("web.site_name")}
          </a>
          <nav class="langs" aria-label={t("web.language")}>
            {LANGS.map((l) =>
              l === lang ? (
                <span aria-current="true">{langNames[l]}</span>
              ) : (
                <a href={(miniApp ? "/app" : "") + withLang(meta.path, l)} hreflang={l} lang={l}>
                  {langNames[l]}
                </a>
              ),
            )}
          </nav>
        </header>
        <main>{props.children}</main>
        <footer>
          <p>{t("web.footer")}</p>
          <p>
            <a href={withLang("/stats", lang)}>{t("stats.heading")}</a> · <a href="/api/v1/export.csv">CSV</a> ·{" "}
            <a href="/api/v1/export.json">JSON</a> · <a href={withLang("/feeds/updates.atom", lang)}>Atom</a>
          </p>
        </footer>
      </body>
      </html>
    </>
  );
}

/** A short page for 404 and errors. */
export function MessagePage(props: Omit<LayoutProps, "children"> & { heading: string; text: string }) {
  return (
    <Layout {...props}>
      <h1>{props.heading}</h1>
      <p>{props.text}</p>
      <p>
        <a href={props.page.link("/")}>{props.page.t("web.back_home")}</a>
      </p>
    </Layout>
  );
}

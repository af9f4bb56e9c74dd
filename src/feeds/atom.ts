import { Feed } from "feed";
import type { CaseNames } from "../domain/case.js";
import type { Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import { escapeXml, safeHttpUrl } from "../markup.js";
import type { FeedEntry } from "../services/feeds.js";

export interface AtomOptions {
  /** The public address of the site, without a trailing slash. */
  publicUrl: string;
  lang: Lang;
  t: Translate;
  /** This feed's own address (rel="self"), language included. */
  selfUrl: string;
  /** The person of a per-case feed; absent for the feed of all cases. */
  case?: { slug: string; names: CaseNames };
  /** `<updated>` of a feed with no entry yet. */
  emptyUpdated: Date;
}

export function nameIn(names: CaseNames, lang: Lang): string {
  if (lang === "ru") return names.ru ?? names.en;
  if (lang === "kk") return names.kk ?? names.ru ?? names.en;
  return names.en;
}

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeXml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** The entry's HTML: the text in the reader's language (else the original, labelled), status, source. */
function content(e: FeedEntry, t: Translate, lang: Lang): string {
  const own = e.text[lang];
  const original = e.text[e.originalLang] ?? Object.values(e.text)[0] ?? "";
  const parts = [paragraphs(own ?? original)];
  if (own === undefined) parts.push(`<p><em>${escapeXml(t("stats.feed_original", { lang: t(`language.name_${e.originalLang}`) }))}</em></p>`);
  if (e.statusTo) {
    const label = (s: string | null) => (s ? t(`status.${s}`, { defaultValue: s }) : "—");
    parts.push(`<p>${escapeXml(t("card.status_change", { from: label(e.statusFrom), to: label(e.statusTo) }))}</p>`);
  }
  const href = safeHttpUrl(e.sourceUrl);
  if (href) parts.push(`<p>${escapeXml(t("stats.feed_source"))}: <a href="${escapeXml(href)}">${escapeXml(href)}</a></p>`);
  else if (e.sourceUrl) parts.push(`<p>${escapeXml(t("stats.feed_source"))}: ${escapeXml(e.sourceUrl)}</p>`);
  return parts.join("");
}

/**
 * An Atom feed of approved updates, in one language, built with the `feed` library (which escapes
 * text elements); titles and contents are HTML that we escape here first, so no text of an update
 * can break out of its element or its CDATA section.
 */
export function renderAtom(entries: FeedEntry[], o: AtomOptions): string {
  const { t, lang } = o;
  const q = `lang=${lang}`;
  const home = o.case ? `${o.publicUrl}/cases/${o.case.slug}?${q}` : `${o.publicUrl}/?${q}`;
  const feed = new Feed({
    id: o.selfUrl,
    title: o.case ? t("stats.feed_title_case", { name: nameIn(o.case.names, lang) }) : t("stats.feed_title"),
    description: t("stats.feed_subtitle"),
    link: home,
    feedLinks: { atom: o.selfUrl },
    language: lang,
    updated: entries[0] ? new Date(entries[0].publishedAt) : o.emptyUpdated,
    generator: false,
  });
  for (const e of entries) {
    const type = e.updateType ? t(`update_type.${e.updateType}`, { defaultValue: e.updateType }) : t("update_type.other");
    const at = new Date(e.publishedAt);
    feed.addItem({
      id: `${o.publicUrl}/cases/${e.slug}#update-${e.id}`,
      title: escapeXml(`${nameIn(e.names, lang)} — ${type}`),
      link: `${o.publicUrl}/cases/${e.slug}?${q}`,
      date: at,
      published: at,
      content: content(e, t, lang),
    });
  }
  // The library leaves out the language: say it on the root element for readers and screen readers.
  return feed.atom1().replace('<feed xmlns="http://www.w3.org/2005/Atom">', `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">`);
}

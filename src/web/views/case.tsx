import type { CaseBrief, CaseDetail, TimelineEvent } from "../../domain/case.js";
import { isStatus, isUpdateType, type Lang } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import { formatDate, formatReportMonth } from "../../bot/render/dates.js";
import { pickText } from "../../bot/render/localized.js";
import { displayName } from "../../bot/render/names.js";
import type { PageCtx } from "../page.js";

/** Only http(s) links from the data become links; anything else is shown as text. */
export function safeUrl(url: string | null | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

export function SourceLink(props: { url: string | null; label: string }) {
  const url = safeUrl(props.url);
  return url ? (
    <a href={url} rel="nofollow noopener noreferrer" target="_blank">
      {props.label}
    </a>
  ) : null;
}

/** "as of the December 2017 report", "since 3 March 2026" or "added by moderators on …", as plain text. */
export function statusContextText(t: Translate, detail: CaseDetail): string {
  if (detail.origin === "moderators") return t("card.added_by_moderators", { date: formatDate(t, detail.createdAt.slice(0, 10)) });
  if (detail.statusChangedAt) return t("card.status_since", { date: formatDate(t, detail.statusChangedAt.slice(0, 10)) });
  if (detail.source) return t("card.as_of_report", { date: formatReportMonth(t, detail.source.asOf) });
  return "";
}

/** The status with when it is true as of, and the link it rests on. */
export function StatusLine(props: { t: Translate; detail: CaseDetail }) {
  const { t, detail } = props;
  const context = statusContextText(t, detail);
  const link = detail.origin === "moderators" ? detail.addedSource : detail.statusChangedAt ? detail.statusSource : null;
  return (
    <>
      {t(`status.${detail.status}`)}
      {context ? <span class="meta"> — {context}</span> : null}
      {safeUrl(link) ? (
        <>
          {" "}(<SourceLink url={link} label={t("card.source").toLowerCase()} />)
        </>
      ) : null}
    </>
  );
}

function Original(props: { t: Translate; wanted: Lang; got: Lang }) {
  return props.wanted === props.got ? null : (
    <span class="meta"> ({props.t("card.original_language", { lang: props.t(`language.name_${props.got}`) })})</span>
  );
}

/** One dated event: type, text in the reader's language (else the original, labelled), status change, source. */
export function EventItem(props: { t: Translate; lang: Lang; event: TimelineEvent; caseLink?: { href: string; name: string } }) {
  const { t, lang, event } = props;
  const text = pickText(event.text, lang);
  if (!text) return null;
  return (
    <li>
      <time datetime={event.date}>
        <strong>{formatDate(t, event.date)}</strong>
      </time>
      {props.caseLink ? (
        <>
          {" — "}
          <a href={props.caseLink.href}>{props.caseLink.name}</a>
        </>
      ) : null}
      {" — "}
      {isUpdateType(event.updateType) && event.updateType !== "other" ? <em>{t(`update_type.${event.updateType}`)}: </em> : null}
      {text.text}
      <Original t={t} wanted={lang} got={text.lang} />
      {isStatus(event.statusTo) ? (
        <span class="meta">
          {" "}
          ({t("card.status_change", { from: isStatus(event.statusFrom) ? t(`status.${event.statusFrom}`) : "—", to: t(`status.${event.statusTo}`) })})
        </span>
      ) : null}
      {safeUrl(event.sourceUrl) ? (
        <>
          {" "}(<SourceLink url={event.sourceUrl} label={t("card.source").toLowerCase()} />)
        </>
      ) : null}
    </li>
  );
}

/** A person in a list: name in the reader's script, category and status. */
export function CaseListItem(props: { page: PageCtx; brief: CaseBrief }) {
  const { page, brief } = props;
  const { t, lang } = page;
  return (
    <li>
      <a href={page.link(`/cases/${brief.slug}`)}>{displayName(brief.names, lang)}</a>
      <br />
      <span class="meta">
        {t(`category.${brief.category}`)} · {t(`status.${brief.status}`)}
      </span>
    </li>
  );
}

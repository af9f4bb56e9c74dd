import type { CaseBrief, CaseDetail, TimelineEvent } from "../../domain/case.js";
import { isStatus, isUpdateType, type Lang } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import { formatDate, formatReportMonth } from "../../wording/dates.js";
import { pickText } from "../../wording/localized.js";
import { displayName } from "../../wording/names.js";
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

/**
 * When the status holds as of, from the case's freshness (the same value the bot's card uses): since
 * when and on which source, or when moderators added the case, and when a moderator last confirmed it;
 * a status that is only the report's says "as of a report of December 2017".
 */
export function statusParts(t: Translate, detail: Pick<CaseDetail, "freshness">): Array<{ text: string; source: string | null }> {
  const f = detail.freshness;
  const parts: Array<{ text: string; source: string | null }> = [];
  if (f.basis === "report") parts.push({ text: t("card.as_of_report", { date: formatReportMonth(t, f.since) }), source: null });
  if (f.basis === "added") parts.push({ text: t("card.added_by_moderators", { date: formatDate(t, f.since.slice(0, 10)) }), source: f.sinceSource });
  if (f.basis === "changed") parts.push({ text: t("card.status_since", { date: formatDate(t, f.since.slice(0, 10)) }), source: f.sinceSource });
  if (f.reviewedAt !== null) parts.push({ text: t("card.still_true", { date: formatDate(t, f.reviewedAt.slice(0, 10)) }), source: f.reviewSource });
  return parts;
}

/** The status context as plain text, for descriptions and social tags. */
export function statusContextText(t: Translate, detail: Pick<CaseDetail, "freshness">): string {
  return statusParts(t, detail)
    .map((p) => p.text)
    .join("; ");
}

/** The status with when it is true as of, and the links it rests on. */
export function StatusLine(props: { t: Translate; detail: CaseDetail }) {
  const { t, detail } = props;
  const parts = statusParts(t, detail);
  return (
    <>
      {t(`status.${detail.status}`)}
      {parts.map((p, i) => (
        <span class="meta">
          {i === 0 ? " — " : "; "}
          {p.text}
          {safeUrl(p.source) ? (
            <>
              {" "}(<SourceLink url={p.source} label={t("card.source").toLowerCase()} />)
            </>
          ) : null}
        </span>
      ))}
    </>
  );
}

/** A status only the report gives, never confirmed since: say so where it cannot be missed. */
export function reportWarning(t: Translate, detail: Pick<CaseDetail, "freshness">): string | undefined {
  const f = detail.freshness;
  if (f.basis !== "report" || f.reviewedAt !== null) return undefined;
  return t("card.report_said", { date: formatReportMonth(t, f.since) });
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

import type { CaseBrief } from "../../domain/case.js";
import type { Lang } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import type { SubmissionRow } from "../../store/schema.js";
import { encode } from "../callback-data.js";
import type { Rendered } from "./card.js";
import { escapeHtml } from "./html.js";
import { displayName } from "./names.js";

function sourceHtml(t: Translate, url: string | null): string {
  return url ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(t("submit.no_source"));
}

/** What moderators see of a submission: the case, the full text (escaped), the source and the author's id. */
export function renderSubmission(t: Translate, lang: Lang, s: SubmissionRow, brief: CaseBrief | undefined, decided?: string): Rendered {
  const text = t("moderation.new", {
    id: s.id,
    name: escapeHtml(brief ? displayName(brief.names, lang) : s.case_slug),
    lang: escapeHtml(t(`language.name_${s.lang === "ru" || s.lang === "kk" ? s.lang : "en"}`)),
    author: s.author_id ?? "—",
    text: escapeHtml(s.text),
    source: sourceHtml(t, s.source_url),
  });
  const full = decided ? `${text}\n\n${decided}` : text;
  const buttons =
    s.status === "pending" && !decided
      ? [[
          { text: t("button.approve"), callback_data: encode({ kind: "approve", id: s.id }) },
          { text: t("button.reject"), callback_data: encode({ kind: "reject", id: s.id }) },
        ]]
      : [];
  return { text: full, keyboard: { inline_keyboard: buttons } };
}

export function renderPreview(t: Translate, name: string, text: string, source: string | null): string {
  return t("submit.preview", { name: escapeHtml(name), text: escapeHtml(text), source: sourceHtml(t, source) });
}

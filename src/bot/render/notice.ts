import type { CaseBrief } from "../../domain/case.js";
import type { Translate } from "../../i18n.js";
import type { Notice } from "../../services/notifications/types.js";
import { encode } from "../callback-data.js";
import type { Rendered } from "./card.js";
import { formatDate } from "./dates.js";
import { escapeHtml, truncate } from "./html.js";
import { pickText } from "./localized.js";
import { displayName } from "./names.js";

/** A follower's notice: the person, the date, the update in their language (else labelled), the source, a button to the card. */
export function renderNotice(t: Translate, notice: Notice, brief: CaseBrief | undefined): Rendered {
  const picked = pickText(notice.text, notice.lang);
  const label =
    picked && picked.lang !== notice.lang ? ` <i>(${escapeHtml(t("card.original_language", { lang: t(`language.name_${picked.lang}`) }))})</i>` : "";
  const lines = [
    t("notice.update", {
      name: escapeHtml(brief ? displayName(brief.names, notice.lang) : notice.caseSlug),
      date: escapeHtml(formatDate(t, notice.date)),
      text: escapeHtml(truncate(picked?.text ?? "", 3000)) + label,
    }),
  ];
  if (notice.sourceUrl) lines.push("", t("notice.source", { source: `<a href="${escapeHtml(notice.sourceUrl)}">${escapeHtml(truncate(notice.sourceUrl, 200))}</a>` }));
  return {
    text: lines.join("\n"),
    keyboard: { inline_keyboard: [[{ text: t("button.open_card"), callback_data: encode({ kind: "card", slug: notice.caseSlug }) }]] },
  };
}

import type { CaseBrief } from "../../domain/case.js";
import { isStatus, isUpdateType } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import type { Notice } from "../../services/notifications/types.js";
import { encode } from "../callback-data.js";
import type { Rendered } from "./card.js";
import { formatDate } from "../../wording/dates.js";
import { escapeHtml, truncate } from "./html.js";
import { pickText } from "../../wording/localized.js";
import { displayName } from "../../wording/names.js";

/**
 * A follower's notice: the type of news first ("Verdict", "Приговор", "Үкім"), the person, the date,
 * a change of status if there was one, the update in their language (else labelled), the source,
 * and a button to the card. A reminder says the hearing is tomorrow.
 */
export function renderNotice(t: Translate, notice: Notice, brief: CaseBrief | undefined): Rendered {
  const name = escapeHtml(brief ? displayName(brief.names, notice.lang) : notice.caseSlug);
  const keyboard = { inline_keyboard: [[{ text: t("button.open_card"), callback_data: encode({ kind: "card", slug: notice.caseSlug }) }]] };
  const picked = pickText(notice.text, notice.lang);
  const label =
    picked && picked.lang !== notice.lang ? ` <i>(${escapeHtml(t("card.original_language", { lang: t(`language.name_${picked.lang}`) }))})</i>` : "";
  const body = escapeHtml(truncate(picked?.text ?? "", 3000)) + label;
  if (notice.kind === "reminder") {
    const date = escapeHtml(formatDate(t, notice.hearingDate ?? notice.date));
    return { text: `${t("notice.reminder", { name, date })}\n\n${body}`, keyboard };
  }
  const type = t(`update_type.${isUpdateType(notice.updateType) ? notice.updateType : "other"}`);
  const lines = [
    t("notice.update", { type: escapeHtml(type), name, date: escapeHtml(formatDate(t, notice.date)), text: body }),
  ];
  if (isStatus(notice.statusTo)) {
    const from = isStatus(notice.statusFrom) ? t(`status.${notice.statusFrom}`) : "—";
    lines.push("", escapeHtml(t("notice.status_changed", { from, to: t(`status.${notice.statusTo}`), date: formatDate(t, notice.date) })));
  }
  if (notice.hearingDate) lines.push("", escapeHtml(t("notice.hearing_on", { date: formatDate(t, notice.hearingDate) })));
  if (notice.sourceUrl) {
    lines.push("", t("notice.source", { source: `<a href="${escapeHtml(notice.sourceUrl)}">${escapeHtml(truncate(notice.sourceUrl, 200))}</a>` }));
  }
  return { text: lines.join("\n"), keyboard };
}

import type { CaseBrief } from "../../domain/case.js";
import type { Lang } from "../../domain/codes.js";
import type { Translate } from "../../i18n.js";
import type { MessageSubject } from "../../services/messages.js";
import type { MessageKind } from "../../services/notifications/types.js";
import type { Rendered } from "./card.js";
import { escapeHtml } from "./html.js";
import { renderSubmission } from "./moderation.js";
import { displayName } from "../../wording/names.js";
import { renderRevision } from "./revisions.js";

const NO_BUTTONS = { inline_keyboard: [] };

/**
 * A message to an author or to staff, worded when the outbox sends it and saying how things stand then
 * (a submission decided in the meantime comes without buttons). Undefined when there is nothing left
 * to tell (what it was about was deleted).
 */
export function renderMessage(t: Translate, lang: Lang, kind: MessageKind, subject: MessageSubject, brief: (slug: string) => CaseBrief | undefined): Rendered | undefined {
  const name = (slug: string | null) => {
    const b = slug === null ? undefined : brief(slug);
    return b ? displayName(b.names, lang) : (slug ?? "—");
  };
  const s = subject.submission;
  const r = subject.revision;
  switch (kind) {
    case "staff_submission":
      // Decided meanwhile (through /queue): nothing to announce.
      if (!s || s.status !== "pending") return undefined;
      return renderSubmission(t, lang, s, brief(s.case_slug));
    case "staff_revision": {
      if (!r) return undefined;
      const names = subject.draft?.names ?? brief(r.case_slug)?.names ?? null;
      const view = renderRevision(t, lang, r, names, subject.draft, undefined, subject.news ?? undefined);
      return r.state === "pending" ? { text: `${escapeHtml(t("admin.notify.waiting"))}\n\n${view.text}`, keyboard: view.keyboard } : view;
    }
    case "author_decision": {
      if (!s || (s.status !== "approved" && s.status !== "rejected")) return undefined;
      let text = escapeHtml(t(s.status === "approved" ? "moderation.author_approved" : "moderation.author_rejected", { name: name(s.case_slug) }));
      if (s.status === "rejected" && s.reason) text += "\n" + escapeHtml(t("moderation.reason", { reason: s.reason }));
      return { text, keyboard: NO_BUTTONS };
    }
    case "proposer_decision": {
      if (subject.decision === null || subject.changeId === null) return undefined;
      const key = subject.decision === "confirmed" ? "admin.notify.confirmed" : "admin.notify.discarded";
      return { text: escapeHtml(t(key, { id: subject.changeId, name: name(subject.caseSlug), by: subject.decidedBy ?? "—" })), keyboard: NO_BUTTONS };
    }
  }
}

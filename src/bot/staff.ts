import type { Api } from "grammy";
import { isLang, type Lang } from "../domain/codes.js";
import type { RevisionRow, SubmissionRow } from "../store/schema.js";
import type { BotDeps } from "./context.js";
import { escapeHtml, HTML, NO_PREVIEW } from "./render/html.js";
import { renderSubmission } from "./render/moderation.js";
import { displayName } from "./render/names.js";
import { revisionView } from "./views/revisions.js";

/**
 * An anonymous submission reaches the moderators after a random delay in this range: sent the moment
 * the author presses Send, its arrival would tell a moderator when the author was active. It is in
 * /queue at once; a delay lost to a restart loses nothing else.
 */
export const ANONYMOUS_NOTICE_DELAY_MS = { min: 2 * 60_000, max: 15 * 60_000 };

/** Sends a new submission to every moderator and admin, each in their language. Failures are logged, not fatal. */
export async function notifyStaff(api: Api, deps: BotDeps, submission: SubmissionRow, random: () => number = Math.random): Promise<void> {
  if (submission.anonymous === 1) {
    const { min, max } = ANONYMOUS_NOTICE_DELAY_MS;
    const timer = setTimeout(() => {
      void (async () => {
        // Decided meanwhile (through /queue): nothing to announce.
        const current = await deps.services.moderation.get(submission.id);
        if (current?.status === "pending") await sendToStaff(api, deps, current);
      })().catch((err: unknown) => deps.logger.warn("delayed staff notice failed", { err }));
    }, min + Math.floor(random() * (max - min)));
    timer.unref();
    return;
  }
  await sendToStaff(api, deps, submission);
}

async function sendToStaff(api: Api, deps: BotDeps, submission: SubmissionRow): Promise<void> {
  const brief = deps.services.cases.brief(submission.case_slug);
  for (const member of await deps.services.roles.staff()) {
    const lang: Lang = isLang(member.language) ? member.language : "en";
    const view = renderSubmission(deps.i18n.t(lang), lang, submission, brief);
    await api
      .sendMessage(member.telegram_id, view.text, { parse_mode: "HTML", reply_markup: view.keyboard, link_preview_options: { is_disabled: true } })
      .catch((err: unknown) => deps.logger.warn("could not reach a moderator", { err: err instanceof Error ? err.message : String(err) }));
  }
}

/** Tells the author of a submission what was decided, in the language they wrote to the bot in. */
export async function notifyAuthor(api: Api, deps: BotDeps, submission: SubmissionRow): Promise<void> {
  if (submission.author_id === null) return;
  // The author's row may have been written by another service or process: read it afresh.
  deps.services.users.forgetCached(submission.author_id);
  const lang = await deps.services.users.language(submission.author_id, undefined);
  const t = deps.i18n.t(lang);
  const brief = deps.services.cases.brief(submission.case_slug);
  const name = brief ? displayName(brief.names, lang) : submission.case_slug;
  let text = escapeHtml(t(submission.status === "approved" ? "moderation.author_approved" : "moderation.author_rejected", { name }));
  if (submission.status === "rejected" && submission.reason) text += "\n" + escapeHtml(t("moderation.reason", { reason: submission.reason }));
  await api
    .sendMessage(submission.author_id, text, { parse_mode: "HTML" })
    .catch((err: unknown) => deps.logger.warn("could not reach an author", { err: err instanceof Error ? err.message : String(err) }));
  if (submission.status === "approved" || submission.status === "rejected") await deps.services.moderation.authorTold(submission.id);
}

/** Tells the other moderators and admins that a change waits for one of them. Failures are logged, not fatal. */
export async function notifyStaffOfRevision(api: Api, deps: BotDeps, r: RevisionRow): Promise<void> {
  for (const member of await deps.services.roles.staff()) {
    if (member.telegram_id === r.actor_id) continue;
    const lang: Lang = isLang(member.language) ? member.language : "en";
    const t = deps.i18n.t(lang);
    const view = await revisionView(deps, r.actor_id, t, lang, r);
    await api
      .sendMessage(member.telegram_id, `${escapeHtml(t("admin.notify.waiting"))}\n\n${view.text}`, { ...HTML, reply_markup: view.keyboard, link_preview_options: NO_PREVIEW })
      .catch((err: unknown) => deps.logger.warn("could not reach a moderator", { err: err instanceof Error ? err.message : String(err) }));
  }
}

/** Tells whoever proposed a change what the second moderator decided. */
export async function notifyProposer(api: Api, deps: BotDeps, r: RevisionRow, decidedBy: number, key: "admin.notify.confirmed" | "admin.notify.discarded"): Promise<void> {
  if (r.actor_id === decidedBy) return;
  const lang = await deps.services.users.language(r.actor_id, undefined);
  const t = deps.i18n.t(lang);
  const brief = deps.services.cases.brief(r.case_slug);
  const name = brief ? displayName(brief.names, lang) : r.case_slug;
  await api
    .sendMessage(r.actor_id, escapeHtml(t(key, { id: r.id, name, by: decidedBy })), HTML)
    .catch((err: unknown) => deps.logger.warn("could not reach a moderator", { err: err instanceof Error ? err.message : String(err) }));
}


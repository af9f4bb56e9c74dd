import { Api, GrammyError, HttpError } from "grammy";
import type { Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { CaseService } from "../services/cases.js";
import type { MessageService } from "../services/messages.js";
import { isMessageKind, type SendNotice } from "../services/notifications/types.js";
import type { Rendered } from "./render/card.js";
import { renderMessage } from "./render/messages.js";
import { renderNotice } from "./render/notice.js";

/**
 * A notice gives up after this long (grammY's default is 500 s): the worker keeps its lease while a
 * send is in flight, and a send that hangs must not hold a row, or the batch after it, for minutes.
 */
export const NOTICE_TIMEOUT_SECONDS = 20;

/** The Api notices go through: no auto-retry (the worker paces and retries itself), a short timeout. */
export function noticeApi(token: string, client: { apiRoot: string; fetch?: unknown }): Api {
  return new Api(token, { apiRoot: client.apiRoot, timeoutSeconds: NOTICE_TIMEOUT_SECONDS, ...(client.fetch ? { fetch: client.fetch as never } : {}) });
}

/**
 * Sends one notice (a follower's, or a message to an author or to staff) and turns Telegram's answer into an outcome for the outbox worker.
 * It uses an Api without auto-retry: the worker paces and retries itself, under the global limit.
 */
export function createNoticeSender(api: Api, i18n: { t(lang: Lang): Translate }, cases: CaseService, messages: MessageService): SendNotice {
  const sendOne = send(api, i18n, cases, messages);
  return async (notice) => {
    const outcome = await sendOne(notice);
    // Once the author has been told (or cannot be), nothing links them to their submission any more.
    const final = outcome.kind === "sent" || outcome.kind === "blocked" || (outcome.kind === "failed" && outcome.permanent);
    if (notice.kind === "author_decision" && final) await messages.authorTold(notice.deliveryId);
    return outcome;
  };
}

function send(api: Api, i18n: { t(lang: Lang): Translate }, cases: CaseService, messages: MessageService): SendNotice {
  return async (notice) => {
    let view: Rendered;
    if (isMessageKind(notice.kind)) {
      // A message to an author or to staff: what it is about is read now, and worded as things stand.
      const subject = await messages.describe(notice.deliveryId);
      const message = subject && renderMessage(i18n.t(notice.lang), notice.lang, notice.kind, subject, (slug) => cases.brief(slug));
      if (!message) return { kind: "failed", error: "nothing left to tell: its subject is gone", permanent: true };
      view = message;
    } else {
      view = renderNotice(i18n.t(notice.lang), notice, cases.brief(notice.caseSlug));
    }
    try {
      await api.sendMessage(notice.userId, view.text, {
        parse_mode: "HTML",
        reply_markup: view.keyboard,
        link_preview_options: { is_disabled: true },
      });
      return { kind: "sent" };
    } catch (err) {
      if (err instanceof GrammyError) {
        const error = `${err.error_code} ${err.description}`;
        if (err.error_code === 403) return { kind: "blocked", error };
        if (err.error_code === 429) return { kind: "rate_limited", retryAfterMs: (err.parameters.retry_after ?? 1) * 1000, error };
        return { kind: "failed", error, permanent: err.error_code === 400 };
      }
      const error = err instanceof HttpError ? `network: ${err.message}` : String(err);
      return { kind: "failed", error, permanent: false };
    }
  };
}

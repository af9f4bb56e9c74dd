import { Api, GrammyError, HttpError } from "grammy";
import type { Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { CaseService } from "../services/cases.js";
import type { SendNotice } from "../services/notifications/types.js";
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
 * Sends one follower notice and turns Telegram's answer into an outcome for the outbox worker.
 * It uses an Api without auto-retry: the worker paces and retries itself, under the global limit.
 */
export function createNoticeSender(api: Api, i18n: { t(lang: Lang): Translate }, cases: CaseService): SendNotice {
  return async (notice) => {
    const view = renderNotice(i18n.t(notice.lang), notice, cases.brief(notice.caseSlug));
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

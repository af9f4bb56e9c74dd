import type { Lang } from "../../domain/codes.js";
import { CASE_FIELD } from "../../domain/fields.js";
import type { Translate } from "../../i18n.js";
import type { RevisionRow } from "../../store/schema.js";
import type { BotContext, BotDeps } from "../context.js";
import type { Rendered } from "../render/card.js";
import { escapeHtml, HTML } from "../render/html.js";
import { renderRevision } from "../render/revisions.js";
import { replyView } from "../reply.js";

/** Changes waiting for a second moderator as staff see them: in /queue, in their messages, after a decision. */

/** The view of a pending revision, with the full draft when it adds a case. */
export async function revisionView(deps: BotDeps, actor: number, t: Translate, lang: Lang, r: RevisionRow, decided?: string): Promise<Rendered> {
  const admin = deps.services.caseAdmin;
  const draft = await admin.draft(actor, r.case_slug);
  const detail = draft === "forbidden" || draft === undefined ? null : draft;
  const names = detail ? detail.names : (deps.services.cases.brief(r.case_slug)?.names ?? null);
  const news = r.submission_id === null ? undefined : (await deps.services.moderation.get(r.submission_id))?.text;
  return renderRevision(t, lang, r, names, r.field === CASE_FIELD ? detail : null, decided, news);
}


/**
 * For /queue: one message per change waiting for a second moderator (the oldest first, at most 10),
 * each with Confirm and Discard. Sends nothing when nothing waits; returns how many wait in all.
 */
export async function renderPendingRevisions(ctx: BotContext, limit = 10): Promise<number | "forbidden"> {
  if (!ctx.from) return "forbidden";
  const admin = ctx.services.caseAdmin;
  const total = await admin.pendingCount(ctx.from.id);
  if (total === "forbidden") return "forbidden";
  if (total === 0) return 0;
  const list = await admin.pending(ctx.from.id, limit);
  if (list === "forbidden") return "forbidden";
  let title = escapeHtml(ctx.t("admin.pending.title", { count: total }));
  if (total > list.length) title += `\n<i>${escapeHtml(ctx.t("admin.pending.more", { shown: list.length }))}</i>`;
  await ctx.reply(`<b>${title}</b>`, HTML);
  for (const r of list) await replyView(ctx, await revisionView(ctx.deps, ctx.from.id, ctx.t, ctx.lang, r));
  return total;
}


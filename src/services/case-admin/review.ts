import type { CaseListItem } from "../../domain/case.js";
import { clampPage, type Page, pageCount } from "../../domain/paging.js";
import { parseSourceUrl } from "../../domain/rules.js";
import { addAudit } from "../../store/audit.js";
import { countVisible, listByConfirmedAt } from "../../store/cases.js";
import { bumpCasesRevision } from "../../store/meta.js";
import * as store from "../../store/revisions.js";
import type { Desk } from "./desk.js";

/** /stale: how long ago each status was last known true, and a moderator's word that it still is. */

export type StalePage = Page<CaseListItem>;

export type ReviewResult =
  | { type: "forbidden" }
  | { type: "invalid"; reason: "url" }
  | { type: "not_found" }
  | { type: "changed"; status: string }
  | { type: "reviewed"; revisionId: number; at: string };


/** /stale: visible cases by when their status was last confirmed, oldest first (moderators only). */
export async function staleCases(desk: Desk, actor: number, page: number, pageSize: number): Promise<StalePage | "forbidden"> {
  if (!(await desk.roles.may(actor))) return "forbidden";
  const total = await countVisible(desk.db);
  const pages = pageCount(total, pageSize);
  const current = clampPage(page, pages);
  const items = await listByConfirmedAt(desk.db, current * pageSize, pageSize);
  return { items, page: current, pages, total };
}

/**
 * A moderator's word that a case's status is still `status`, on a source link: recorded as a
 * revision (/history shows it) and shown on the card as "still true as of <date>". Refused when the
 * status changed since the moderator looked at it.
 */
export async function reviewStatus(desk: Desk, actor: number, slug: string, status: string, source: string): Promise<ReviewResult> {
  if (!(await desk.roles.may(actor))) return { type: "forbidden" };
  const url = parseSourceUrl(source);
  if (url === undefined) return { type: "invalid", reason: "url" };
  const iso = desk.now().toISOString();
  const result = await desk.db.transaction().execute(async (trx): Promise<ReviewResult> => {
    const r = await store.recordStatusReview(trx, slug, status, url, actor, iso);
    if (r.type !== "reviewed") return r;
    await addAudit(trx, actor, "status_review", `case:${slug}`, `revision:${r.revisionId}`, iso);
    await bumpCasesRevision(trx, `${iso}#revision:${r.revisionId}`);
    return { type: "reviewed", revisionId: r.revisionId, at: iso };
  });
  if (result.type === "reviewed") desk.cases.invalidate(slug);
  return result;
}

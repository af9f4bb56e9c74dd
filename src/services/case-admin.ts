import type { CaseDetail, CaseListItem } from "../domain/case.js";
import { isCategory, isRole, isStatus, type Lang } from "../domain/codes.js";
import { CASE_FIELD, CASE_SHOWN, type EditableField, INDEXED_FIELDS, isEditableField, isRevisionField, REQUIRED_FIELDS, type RevisionField, type TranslationField } from "../domain/fields.js";
import { checkFieldValue, checkName, checkSource, checkSummary, type InvalidReason, linkOnly, needsSecondModerator, parseSourceUrl } from "../domain/rules.js";
import { generatedAliases, kazakhLatin, slugify } from "../domain/spelling.js";
import { addAudit } from "../store/audit.js";
import { countVisible, findCase, listByConfirmedAt } from "../store/cases.js";
import type { DB, Tx } from "../store/db.js";
import { bumpCasesRevision } from "../store/meta.js";
import * as subs from "../store/submissions.js";
import * as store from "../store/revisions.js";
import type { PendingRevisionRow, StatusContext } from "../store/revisions.js";
import type { RevisionRow, SubmissionRow } from "../store/schema.js";
import { tellProposer, tellStaffOfRevision } from "./messages.js";
import { normalise, publishSubmission, rejectSubmission } from "./publish.js";
import { RoleService } from "./roles.js";

export interface NewCaseInput {
  names: { en: string; ru: string; kk?: string | null; kkLatn?: string | null };
  category: string;
  role: string;
  status: string;
  /** At least one language. */
  summary: Partial<Record<Lang, string>>;
  /** The http(s) link the case is added on. */
  source: string;
}

export type CreateField = "name_en" | "name_ru" | "name_kk" | "name_kk_latn" | "category" | "role" | "status" | "summary" | "source";

export type CreateResult =
  | { type: "created"; slug: string; revisionId: number }
  | { type: "forbidden" }
  | { type: "invalid"; field: CreateField; reason: InvalidReason };

export type EditResult =
  | { type: "applied"; revision: RevisionRow }
  | { type: "pending"; revision: RevisionRow }
  | { type: "unchanged" }
  | { type: "forbidden" }
  | { type: "not_found" }
  | { type: "invalid"; field: "field" | "value" | "source"; reason: InvalidReason };

export type ConfirmResult =
  /** `published`: the approval whose change of status this was, published now. */
  | { type: "applied"; revision: RevisionRow; published?: { submission: SubmissionRow; followers: number } }
  | { type: "same_moderator"; revision: RevisionRow }
  /** The author of a submission does not confirm its approval. */
  | { type: "own_submission"; revision: RevisionRow }
  | { type: "already"; revision: RevisionRow }
  /** The field changed since the revision was proposed: it was discarded rather than applied over the newer value. */
  | { type: "stale"; revision: RevisionRow }
  | { type: "forbidden" }
  | { type: "not_found" };

export type DiscardResult =
  /** `rejected`: the submission whose change of status was discarded, rejected with it. */
  | { type: "discarded"; revision: RevisionRow; caseRemoved: boolean; rejected?: SubmissionRow }
  | { type: "already"; revision: RevisionRow }
  | { type: "forbidden" }
  | { type: "not_found" };

export type RevertResult =
  | { type: "pending"; revision: RevisionRow }
  /** Only an applied revision can be reverted. */
  | { type: "not_applied"; revision: RevisionRow }
  /** The field changed again since: revert the later revision first. */
  | { type: "stale"; revision: RevisionRow }
  | { type: "already_pending"; revision: RevisionRow }
  | { type: "forbidden" }
  | { type: "not_found" };

export interface StalePage {
  items: CaseListItem[];
  page: number;
  pages: number;
  total: number;
}

export type ReviewResult =
  | { type: "forbidden" }
  | { type: "invalid"; reason: "url" }
  | { type: "not_found" }
  | { type: "changed"; status: string }
  | { type: "reviewed"; revisionId: number; at: string };

export interface MissingField {
  slug: string;
  name: string;
  field: TranslationField;
}

/**
 * Adding and correcting cases. Every method takes the acting user and checks their role against the
 * database as it runs (moderators and admins; reverts admins only): a button or a conversation started
 * before a demotion does nothing after it. Sensitive changes (a new case, a status of released or
 * deceased, any revert) wait as "pending" revisions until a different moderator confirms them.
 */
export class CaseAdminService {
  constructor(
    private readonly db: DB,
    private readonly cases: { refresh(): Promise<void>; invalidate(slug: string): void },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.roles = new RoleService(db);
  }

  private readonly roles: RoleService;

  /**
   * A new case from moderators: stored hidden, with a pending "case" revision. It shows in search and
   * lists only once a second moderator confirms that revision.
   */
  async createCase(actor: number, input: NewCaseInput): Promise<CreateResult> {
    if (!(await this.roles.may(actor))) return { type: "forbidden" };
    const en = checkName("name_en", input.names.en);
    if (!en.ok) return { type: "invalid", field: "name_en", reason: en.reason };
    const ru = checkName("name_ru", input.names.ru);
    if (!ru.ok) return { type: "invalid", field: "name_ru", reason: ru.reason };
    let kk: string | null = null;
    if (input.names.kk != null && input.names.kk.trim() !== "") {
      const c = checkName("name_kk", input.names.kk);
      if (!c.ok) return { type: "invalid", field: "name_kk", reason: c.reason };
      kk = c.value;
    }
    let kkLatn: string | null = kk === null ? null : kazakhLatin(kk);
    if (input.names.kkLatn != null && input.names.kkLatn.trim() !== "") {
      const c = checkName("name_kk_latn", input.names.kkLatn);
      if (!c.ok) return { type: "invalid", field: "name_kk_latn", reason: c.reason };
      kkLatn = c.value;
    }
    if (!isCategory(input.category)) return { type: "invalid", field: "category", reason: "code" };
    if (!isRole(input.role)) return { type: "invalid", field: "role", reason: "code" };
    if (!isStatus(input.status)) return { type: "invalid", field: "status", reason: "code" };
    const summary: Partial<Record<Lang, string>> = {};
    for (const lang of ["en", "ru", "kk"] as const) {
      const text = input.summary[lang];
      if (text === undefined || text.trim() === "") continue;
      const c = checkSummary(text);
      if (!c.ok) return { type: "invalid", field: "summary", reason: c.reason };
      summary[lang] = c.value;
    }
    if (Object.keys(summary).length === 0) return { type: "invalid", field: "summary", reason: "empty" };
    const source = parseSourceUrl(input.source);
    if (source === undefined) return { type: "invalid", field: "source", reason: "url" };

    const base = slugify(en.value) || slugify(ru.value) || "case";
    const names = { en: en.value, ru: ru.value, kk, kkLatn };
    const iso = this.now().toISOString();
    return this.db.transaction().execute(async (trx): Promise<CreateResult> => {
      const taken = await store.slugsLike(trx, base);
      for (let n = 1; n < 10_000; n++) {
        const slug = n === 1 ? base : `${base}-${n}`;
        if (taken.has(slug)) continue;
        const inserted = await store.insertModeratorCase(
          trx,
          {
            slug,
            category: input.category,
            role: input.role,
            status: input.status,
            nameEn: names.en,
            nameRu: names.ru,
            nameKk: names.kk,
            nameKkLatn: names.kkLatn,
            summaryEn: summary.en ?? null,
            summaryRu: summary.ru ?? null,
            summaryKk: summary.kk ?? null,
            aliases: generatedAliases(names),
            addedSource: source,
            visible: false,
          },
          iso,
        );
        if (!inserted) continue;
        const revisionId = await store.insertRevision(
          trx,
          { caseSlug: slug, field: CASE_FIELD, oldValue: null, newValue: CASE_SHOWN, source, actorId: actor, state: "pending" },
          iso,
        );
        await addAudit(trx, actor, "case_create", `case:${slug}`, `revision:${revisionId}`, iso);
        const revision = await store.getRevision(trx, revisionId);
        if (revision) await tellStaffOfRevision(trx, revision, iso);
        return { type: "created", slug, revisionId };
      }
      throw new Error(`no free slug for ${base}`);
    });
  }

  /**
   * Changes one field of a visible case, with the source of the change or the reason for it. A status
   * of released or deceased (or a change away from one) waits for a second moderator; anything else
   * is applied at once. Either way the revision records old and new value, source, actor and time.
   */
  async editField(actor: number, slug: string, field: string, value: string, source: string): Promise<EditResult> {
    if (!(await this.roles.may(actor))) return { type: "forbidden" };
    if (!isEditableField(field)) return { type: "invalid", field: "field", reason: "code" };
    const checkedSource = checkSource(source);
    if (!checkedSource.ok) return { type: "invalid", field: "source", reason: checkedSource.reason };
    const checked = checkFieldValue(field, value);
    if (!checked.ok) return { type: "invalid", field: "value", reason: checked.reason };
    const newValue = checked.value;
    const iso = this.now().toISOString();
    const result = await this.db.transaction().execute(async (trx): Promise<EditResult> => {
      if ((await store.isVisible(trx, slug)) !== true) return { type: "not_found" };
      const oldValue = await store.readField(trx, slug, field);
      if (oldValue === undefined) return { type: "not_found" };
      if (oldValue === newValue) return { type: "unchanged" };
      const sensitive = needsSecondModerator({ field, oldValue, newValue });
      const change = { caseSlug: slug, field, oldValue, newValue, source: checkedSource.value, actorId: actor };
      let revision: RevisionRow | undefined;
      if (sensitive) revision = await store.getRevision(trx, await store.insertRevision(trx, { ...change, state: "pending" }, iso));
      else revision = await store.applyRevision(trx, change, iso, { at: iso, source: linkOnly(checkedSource.value) });
      if (!revision) throw new Error(`a revision of ${slug} vanished`);
      await addAudit(trx, actor, sensitive ? "case_edit_proposed" : "case_edit", `case:${slug}`, `${field} revision:${revision.id}`, iso);
      if (sensitive) await tellStaffOfRevision(trx, revision, iso);
      return { type: sensitive ? "pending" : "applied", revision };
    });
    if (result.type === "applied") await this.afterChange(slug, field);
    return result;
  }

  /**
   * A second moderator's confirmation of whatever waits for one (a new case, an edit, a revert, an
   * approval that changes a status, which is published now); never by the one who proposed it, nor by
   * the author of the submission.
   */
  async confirm(revisionId: number, actor: number): Promise<ConfirmResult> {
    if (!(await this.roles.may(actor))) return { type: "forbidden" };
    const now = this.now();
    const iso = now.toISOString();
    const result = await this.db.transaction().execute(async (trx): Promise<ConfirmResult> => {
      const revision = await store.getRevision(trx, revisionId);
      if (!revision) return { type: "not_found" };
      if (revision.state !== "pending") return { type: "already", revision };
      if (revision.actor_id === actor) return { type: "same_moderator", revision };
      const field = revision.field;
      if (!isRevisionField(field)) throw new Error(`revision ${revisionId} has an unknown field ${field}`);
      if (revision.submission_id !== null) return this.publishWaiting(trx, revision, actor, now);
      const current = await store.readField(trx, revision.case_slug, field);
      if (current === undefined) return { type: "not_found" };
      if (current !== revision.old_value) {
        // Someone changed the field after this was proposed: applying it would silently undo that change.
        await store.markDiscarded(trx, revisionId);
        await addAudit(trx, actor, "revision_stale", `case:${revision.case_slug}`, `revision:${revisionId}`, iso);
        return { type: "stale", revision: (await store.getRevision(trx, revisionId)) ?? revision };
      }
      if (!(await store.confirmRevision(trx, revisionId, actor, iso, await this.statusContext(trx, revision, iso)))) {
        return { type: "already", revision: (await store.getRevision(trx, revisionId)) ?? revision };
      }
      await addAudit(trx, actor, "revision_confirm", `case:${revision.case_slug}`, `${field} revision:${revisionId}`, iso);
      await tellProposer(trx, revision, actor, "confirmed", iso);
      return { type: "applied", revision: (await store.getRevision(trx, revisionId)) ?? revision };
    });
    if (result.type === "applied" && isRevisionField(result.revision.field)) {
      await this.afterChange(result.revision.case_slug, result.revision.field);
    }
    return result;
  }

  /** Confirming the status change of an approval publishes the submission it belongs to. */
  private async publishWaiting(trx: Tx, revision: RevisionRow, actor: number, now: Date): Promise<ConfirmResult> {
    const submission = await subs.getSubmission(trx, revision.submission_id ?? 0);
    if (!submission || submission.status !== "awaiting_confirmation") {
      await store.markDiscarded(trx, revision.id);
      return { type: "already", revision: (await store.getRevision(trx, revision.id)) ?? revision };
    }
    if (submission.author_id === actor) return { type: "own_submission", revision };
    const typed = normalise({ type: submission.update_type ?? "other", newStatus: submission.new_status, hearingDate: submission.hearing_date });
    const published = await publishSubmission(trx, submission, actor, typed, "awaiting_confirmation", now, revision);
    if (published.type === "already") return { type: "already", revision };
    const updated = (await store.getRevision(trx, revision.id)) ?? revision;
    await tellProposer(trx, revision, actor, "confirmed", now.toISOString());
    return { type: "applied", revision: updated, published: { submission: published.submission, followers: published.followers } };
  }

  /**
   * Drops a pending revision (any moderator, the proposer included). A new case dropped before anyone
   * confirmed it is deleted: unconfirmed details about a person are not kept. The audit log keeps the slug.
   */
  async discard(revisionId: number, actor: number): Promise<DiscardResult> {
    if (!(await this.roles.may(actor))) return { type: "forbidden" };
    const iso = this.now().toISOString();
    return this.db.transaction().execute(async (trx): Promise<DiscardResult> => {
      const revision = await store.getRevision(trx, revisionId);
      if (!revision) return { type: "not_found" };
      if (!(await store.markDiscarded(trx, revisionId))) {
        return { type: "already", revision: (await store.getRevision(trx, revisionId)) ?? revision };
      }
      const discarded = (await store.getRevision(trx, revisionId)) ?? revision;
      if (revision.submission_id !== null) {
        // An approval's change of status discarded: the submission is rejected with it.
        const submission = await subs.getSubmission(trx, revision.submission_id);
        const rejected = submission ? await rejectSubmission(trx, submission, actor, null, iso) : undefined;
        await tellProposer(trx, revision, actor, "discarded", iso);
        return { type: "discarded", revision: discarded, caseRemoved: false, ...(rejected ? { rejected } : {}) };
      }
      let caseRemoved = false;
      if (revision.field === CASE_FIELD && revision.new_value === CASE_SHOWN && revision.reverts === null) {
        caseRemoved = await store.deleteHiddenCase(trx, revision.case_slug);
      }
      await addAudit(trx, actor, caseRemoved ? "case_discard" : "revision_discard", `case:${revision.case_slug}`, `revision:${revisionId}`, iso);
      await tellProposer(trx, revision, actor, "discarded", iso);
      return { type: "discarded", revision: discarded, caseRemoved };
    });
  }

  /**
   * Admins only: proposes to undo an applied revision, restoring the value it replaced. Always
   * sensitive: the revert is a pending revision that a second moderator confirms.
   */
  async revert(admin: number, revisionId: number, reason?: string): Promise<RevertResult> {
    if (!(await this.roles.may(admin, true))) return { type: "forbidden" };
    const why = checkSource(reason ?? "");
    const source = why.ok ? why.value : `revert #${revisionId}`;
    const iso = this.now().toISOString();
    return this.db.transaction().execute(async (trx): Promise<RevertResult> => {
      const original = await store.getRevision(trx, revisionId);
      if (!original) return { type: "not_found" };
      if (original.state !== "applied") return { type: "not_applied", revision: original };
      const field = original.field;
      if (!isRevisionField(field)) return { type: "not_applied", revision: original };
      if (await store.hasPendingRevert(trx, revisionId)) return { type: "already_pending", revision: original };
      const current = await store.readField(trx, original.case_slug, field);
      if (current === undefined) return { type: "not_found" };
      if (current !== original.new_value) return { type: "stale", revision: original };
      if (original.old_value === null && REQUIRED_FIELDS.has(field)) return { type: "not_applied", revision: original };
      const id = await store.insertRevision(
        trx,
        {
          caseSlug: original.case_slug,
          field,
          oldValue: current,
          newValue: original.old_value,
          source,
          actorId: admin,
          state: "pending",
          reverts: revisionId,
        },
        iso,
      );
      await addAudit(trx, admin, "revert_proposed", `case:${original.case_slug}`, `revision:${revisionId} by:${id}`, iso);
      const revision = await store.getRevision(trx, id);
      if (!revision) throw new Error(`revision ${id} vanished`);
      await tellStaffOfRevision(trx, revision, iso);
      return { type: "pending", revision };
    });
  }

  /** A case's revisions, newest first (moderators only). */
  async history(actor: number, slug: string, limit = 50): Promise<RevisionRow[] | "forbidden"> {
    if (!(await this.roles.may(actor))) return "forbidden";
    return store.listRevisions(this.db, slug, limit);
  }

  /** Revisions waiting for a second moderator, oldest first, with the names of their case. */
  async pending(actor: number, limit = 20): Promise<PendingRevisionRow[] | "forbidden"> {
    if (!(await this.roles.may(actor))) return "forbidden";
    return store.listPendingRevisions(this.db, limit);
  }

  async pendingCount(actor: number): Promise<number | "forbidden"> {
    if (!(await this.roles.may(actor))) return "forbidden";
    return store.countPendingRevisions(this.db);
  }

  async revision(actor: number, revisionId: number): Promise<RevisionRow | undefined | "forbidden"> {
    if (!(await this.roles.may(actor))) return "forbidden";
    return store.getRevision(this.db, revisionId);
  }

  /** A case as stored, hidden or not (for a second moderator checking a new case); not cached. */
  async draft(actor: number, slug: string): Promise<CaseDetail | undefined | "forbidden"> {
    if (!(await this.roles.may(actor))) return "forbidden";
    return findCase(this.db, slug);
  }

  /** The current value of a field of a visible case, as revisions store it. */
  async currentValue(actor: number, slug: string, field: EditableField): Promise<{ value: string | null } | "forbidden" | "not_found"> {
    if (!(await this.roles.may(actor))) return "forbidden";
    if ((await store.isVisible(this.db, slug)) !== true) return "not_found";
    const value = await store.readField(this.db, slug, field);
    return value === undefined ? "not_found" : { value };
  }

  /** Names and summaries missing in some language, case by case (by English name), field by field. */
  async missingTranslations(actor: number): Promise<MissingField[] | "forbidden"> {
    if (!(await this.roles.may(actor))) return "forbidden";
    const rows = await store.listMissingTranslations(this.db);
    return rows.flatMap((row) => row.missing.map((field) => ({ slug: row.slug, name: row.nameEn, field })));
  }

  /**
   * What the card says next to a status a confirmed revision sets: now and its source link; for a
   * revert, when and on which source the restored status took effect before (the report's when unknown).
   */
  /** /stale: visible cases by when their status was last confirmed, oldest first (moderators only). */
  async staleCases(actor: number, page: number, pageSize: number): Promise<StalePage | "forbidden"> {
    if (!(await this.roles.may(actor))) return "forbidden";
    const total = await countVisible(this.db);
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const current = Math.min(Math.max(0, Math.trunc(page)), pages - 1);
    const items = await listByConfirmedAt(this.db, current * pageSize, pageSize);
    return { items, page: current, pages, total };
  }

  /**
   * A moderator's word that a case's status is still `status`, on a source link: recorded as a
   * revision (/history shows it) and shown on the card as "still true as of <date>". Refused when the
   * status changed since the moderator looked at it.
   */
  async reviewStatus(actor: number, slug: string, status: string, source: string): Promise<ReviewResult> {
    if (!(await this.roles.may(actor))) return { type: "forbidden" };
    const url = parseSourceUrl(source);
    if (url === undefined) return { type: "invalid", reason: "url" };
    const iso = this.now().toISOString();
    const result = await this.db.transaction().execute(async (trx): Promise<ReviewResult> => {
      const r = await store.recordStatusReview(trx, slug, status, url, actor, iso);
      if (r.type !== "reviewed") return r;
      await addAudit(trx, actor, "status_review", `case:${slug}`, `revision:${r.revisionId}`, iso);
      await bumpCasesRevision(trx, `${iso}#revision:${r.revisionId}`);
      return { type: "reviewed", revisionId: r.revisionId, at: iso };
    });
    if (result.type === "reviewed") this.cases.invalidate(slug);
    return result;
  }

  private async statusContext(trx: Tx, revision: RevisionRow, now: string): Promise<StatusContext> {
    if (revision.field !== "status" || revision.new_value === null) return { at: now, source: null };
    if (revision.reverts === null) return { at: now, source: linkOnly(revision.source) };
    const reverted = await store.getRevision(trx, revision.reverts);
    const before = await store.previousStatusContext(trx, revision.case_slug, revision.new_value, reverted?.created_at ?? revision.created_at);
    return before ? { at: before.at, source: before.source === null ? null : linkOnly(before.source) } : { at: null, source: null };
  }

  private async afterChange(slug: string, field: RevisionField): Promise<void> {
    this.cases.invalidate(slug);
    if (INDEXED_FIELDS.has(field)) await this.cases.refresh();
  }
}

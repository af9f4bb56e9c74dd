import type { CaseDetail } from "../domain/case.js";
import type { EditableField } from "../domain/fields.js";
import type { DB } from "../store/db.js";
import type { PendingRevisionRow } from "../store/revisions.js";
import type { RevisionRow } from "../store/schema.js";
import type { Desk } from "./case-admin/desk.js";
import { createCase, type CreateResult, type NewCaseInput } from "./case-admin/new-case.js";
import * as reads from "./case-admin/reads.js";
import { reviewStatus, type ReviewResult, staleCases, type StalePage } from "./case-admin/review.js";
import * as revisions from "./case-admin/revisions.js";
import { RoleService } from "./roles.js";

export type { CreateField, CreateResult, NewCaseInput } from "./case-admin/new-case.js";
export type { MissingField } from "./case-admin/reads.js";
export type { ReviewResult, StalePage } from "./case-admin/review.js";
export type { ConfirmResult, DiscardResult, EditResult, RevertResult } from "./case-admin/revisions.js";

/**
 * Adding and correcting cases. Every method takes the acting user and checks their role against the
 * database as it runs (moderators and admins; reverts admins only): a button or a conversation started
 * before a demotion does nothing after it. Sensitive changes (a new case, a status of released or
 * deceased, any revert) wait as "pending" revisions until a different moderator confirms them.
 *
 * The use cases live in case-admin/: new-case.ts (/newcase), revisions.ts (edit, confirm, discard,
 * revert), review.ts (/stale) and reads.ts (history, the queue, drafts, missing translations).
 */
export class CaseAdminService {
  private readonly desk: Desk;

  constructor(db: DB, cases: Desk["cases"], now: () => Date = () => new Date()) {
    this.desk = { db, cases, now, roles: new RoleService(db) };
  }

  /** A new case, hidden until a second moderator confirms it. */
  createCase(actor: number, input: NewCaseInput): Promise<CreateResult> {
    return createCase(this.desk, actor, input);
  }

  /** One field of a visible case, with its source; a sensitive status waits for a second moderator. */
  editField(actor: number, slug: string, field: string, value: string, source: string): Promise<revisions.EditResult> {
    return revisions.editField(this.desk, actor, slug, field, value, source);
  }

  confirm(revisionId: number, actor: number): Promise<revisions.ConfirmResult> {
    return revisions.confirm(this.desk, revisionId, actor);
  }

  discard(revisionId: number, actor: number): Promise<revisions.DiscardResult> {
    return revisions.discard(this.desk, revisionId, actor);
  }

  /** Admins only: a pending revision restoring the value an applied one replaced. */
  revert(admin: number, revisionId: number, reason?: string): Promise<revisions.RevertResult> {
    return revisions.revert(this.desk, admin, revisionId, reason);
  }

  history(actor: number, slug: string, limit?: number): Promise<RevisionRow[] | "forbidden"> {
    return reads.history(this.desk, actor, slug, limit);
  }

  pending(actor: number, limit?: number): Promise<PendingRevisionRow[] | "forbidden"> {
    return reads.pending(this.desk, actor, limit);
  }

  pendingCount(actor: number): Promise<number | "forbidden"> {
    return reads.pendingCount(this.desk, actor);
  }

  revision(actor: number, revisionId: number): Promise<RevisionRow | undefined | "forbidden"> {
    return reads.revision(this.desk, actor, revisionId);
  }

  draft(actor: number, slug: string): Promise<CaseDetail | undefined | "forbidden"> {
    return reads.draft(this.desk, actor, slug);
  }

  currentValue(actor: number, slug: string, field: EditableField): Promise<{ value: string | null } | "forbidden" | "not_found"> {
    return reads.currentValue(this.desk, actor, slug, field);
  }

  missingTranslations(actor: number): Promise<reads.MissingField[] | "forbidden"> {
    return reads.missingTranslations(this.desk, actor);
  }

  staleCases(actor: number, page: number, pageSize: number): Promise<StalePage | "forbidden"> {
    return staleCases(this.desk, actor, page, pageSize);
  }

  /** A moderator's word, on a source link, that a case's status is still true. */
  reviewStatus(actor: number, slug: string, status: string, source: string): Promise<ReviewResult> {
    return reviewStatus(this.desk, actor, slug, status, source);
  }
}

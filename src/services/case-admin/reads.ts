import type { CaseDetail } from "../../domain/case.js";
import type { EditableField, TranslationField } from "../../domain/fields.js";
import { findCase } from "../../store/cases.js";
import * as store from "../../store/revisions.js";
import type { PendingRevisionRow } from "../../store/revisions.js";
import type { RevisionRow } from "../../store/schema.js";
import type { Desk } from "./desk.js";

/** What moderators read at the case desk: history, what waits, a draft, current values, missing translations. */

export interface MissingField {
  slug: string;
  name: string;
  field: TranslationField;
}

/** A case's revisions, newest first (moderators only). */
export async function history(desk: Desk, actor: number, slug: string, limit = 50): Promise<RevisionRow[] | "forbidden"> {
  if (!(await desk.roles.may(actor))) return "forbidden";
  return store.listRevisions(desk.db, slug, limit);
}

/** Revisions waiting for a second moderator, oldest first, with the names of their case. */
export async function pending(desk: Desk, actor: number, limit = 20): Promise<PendingRevisionRow[] | "forbidden"> {
  if (!(await desk.roles.may(actor))) return "forbidden";
  return store.listPendingRevisions(desk.db, limit);
}

export async function pendingCount(desk: Desk, actor: number): Promise<number | "forbidden"> {
  if (!(await desk.roles.may(actor))) return "forbidden";
  return store.countPendingRevisions(desk.db);
}

export async function revision(desk: Desk, actor: number, revisionId: number): Promise<RevisionRow | undefined | "forbidden"> {
  if (!(await desk.roles.may(actor))) return "forbidden";
  return store.getRevision(desk.db, revisionId);
}

/** A case as stored, hidden or not (for a second moderator checking a new case); not cached. */
export async function draft(desk: Desk, actor: number, slug: string): Promise<CaseDetail | undefined | "forbidden"> {
  if (!(await desk.roles.may(actor))) return "forbidden";
  return findCase(desk.db, slug);
}

/** The current value of a field of a visible case, as revisions store it. */
export async function currentValue(desk: Desk, actor: number, slug: string, field: EditableField): Promise<{ value: string | null } | "forbidden" | "not_found"> {
  if (!(await desk.roles.may(actor))) return "forbidden";
  if ((await store.isVisible(desk.db, slug)) !== true) return "not_found";
  const value = await store.readField(desk.db, slug, field);
  return value === undefined ? "not_found" : { value };
}

/** Names and summaries missing in some language, case by case (by English name), field by field. */
export async function missingTranslations(desk: Desk, actor: number): Promise<MissingField[] | "forbidden"> {
  if (!(await desk.roles.may(actor))) return "forbidden";
  const rows = await store.listMissingTranslations(desk.db);
  return rows.flatMap((row) => row.missing.map((field) => ({ slug: row.slug, name: row.nameEn, field })));
}

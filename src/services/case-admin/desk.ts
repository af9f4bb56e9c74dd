import { INDEXED_FIELDS, type RevisionField } from "../../domain/fields.js";
import type { DB } from "../../store/db.js";
import type { RoleService } from "../roles.js";

/**
 * What every use case of case administration works with: the database, the role check it makes as it
 * runs, the in-memory case index to keep current, and the clock.
 */
export interface Desk {
  db: DB;
  roles: RoleService;
  cases: { refresh(): Promise<void>; invalidate(slug: string): void };
  now: () => Date;
}

/** After a change is applied: the card is read afresh, and the search index rebuilt when a name changed. */
export async function afterChange(desk: Desk, slug: string, field: RevisionField): Promise<void> {
  desk.cases.invalidate(slug);
  if (INDEXED_FIELDS.has(field)) await desk.cases.refresh();
}

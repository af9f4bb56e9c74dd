import { mayAct, toUserRole, type UserRole } from "../domain/roles.js";
import { addAudit, listAudit } from "../store/audit.js";
import type { DB } from "../store/db.js";
import type { AuditRow } from "../store/schema.js";
import * as store from "../store/users.js";

export type RoleChange = "moderator" | "reader";

export type SetRoleResult =
  | { type: "done"; role: RoleChange }
  | { type: "unchanged"; role: UserRole }
  /** The actor is not an admin. */
  | { type: "forbidden" }
  /** Nobody changes their own role. */
  | { type: "self" }
  /** An admin's role follows ADMIN_IDS only. */
  | { type: "admin_by_config" };

/**
 * Who may do what. Every staff action asks here, against the database, at the moment it runs: a
 * button shown yesterday to a moderator demoted today does nothing. The rules of role changes live
 * here too: nobody changes their own role, an admin's role follows ADMIN_IDS only, and the last admin
 * is never removed.
 */
export class RoleService {
  constructor(
    private readonly db: DB,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async roleOf(userId: number): Promise<UserRole> {
    return toUserRole(await store.getUserRole(this.db, userId));
  }

  /** Whether the user may act as staff now (`adminOnly`: as an admin). */
  async may(userId: number, adminOnly = false): Promise<boolean> {
    return mayAct(await this.roleOf(userId), adminOnly);
  }

  isStaff(userId: number): Promise<boolean> {
    return this.may(userId);
  }

  /** Moderators and admins, who are told of what waits for them. */
  staff(): Promise<Array<{ telegram_id: number; language: string | null }>> {
    return store.listStaff(this.db);
  }

  /** Admins only: makes another user a moderator, or a reader again. */
  async setRole(actorId: number, targetId: number, role: RoleChange): Promise<SetRoleResult> {
    if (!(await this.may(actorId, true))) return { type: "forbidden" };
    if (actorId === targetId) return { type: "self" };
    const iso = this.now().toISOString();
    return this.db.transaction().execute(async (trx): Promise<SetRoleResult> => {
      const current = toUserRole(await store.getUserRole(trx, targetId));
      if (current === "admin") return { type: "admin_by_config" };
      if (current === role) return { type: "unchanged", role: current };
      await store.setUserRole(trx, targetId, role, iso);
      await addAudit(trx, actorId, role === "reader" ? "demote" : "promote", `user:${targetId}`, role, iso);
      return { type: "done", role };
    });
  }

  /**
   * ADMIN_IDS at start-up: those ids are admins; an admin no longer listed becomes a moderator. An empty
   * list changes nobody: the last admin is never removed by leaving the variable out.
   */
  async syncAdmins(ids: readonly number[]): Promise<{ demoted: number[] }> {
    const iso = this.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      await store.ensureAdmins(trx, ids, iso);
      if (ids.length === 0) return { demoted: [] };
      const demoted = (await store.listAdmins(trx)).filter((id) => !ids.includes(id));
      for (const id of demoted) {
        await store.setUserRole(trx, id, "moderator", iso);
        await addAudit(trx, 0, "demote", `user:${id}`, "not in ADMIN_IDS", iso);
      }
      return { demoted };
    });
  }

  async audit(actorId: number, limit = 20): Promise<AuditRow[] | "forbidden"> {
    if (!(await this.may(actorId, true))) return "forbidden";
    return listAudit(this.db, limit);
  }
}

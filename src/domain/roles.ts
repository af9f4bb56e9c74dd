/** What a Telegram user may do here: read, moderate, or also administer. One type for every layer. */
export const USER_ROLES = ["reader", "moderator", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A stored role as the code reads it: anything unknown (or no row) is a reader. */
export function toUserRole(raw: string | null | undefined): UserRole {
  return raw === "admin" || raw === "moderator" ? raw : "reader";
}

/** Moderators and admins: who may decide on submissions and change cases. */
export function isStaffRole(role: UserRole): boolean {
  return role !== "reader";
}

/** The one role check of every staff action: `adminOnly` for reverts, role changes and the audit log. */
export function mayAct(role: UserRole, adminOnly = false): boolean {
  return adminOnly ? role === "admin" : isStaffRole(role);
}

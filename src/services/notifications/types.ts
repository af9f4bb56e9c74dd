import type { EventContent } from "../../domain/case.js";
import type { Lang } from "../../domain/codes.js";

/**
 * Messages to one person that the outbox carries besides followers' notices, so that none is lost when
 * the process dies: to staff (a new submission, a change waiting for a second moderator), to an author
 * (the decision on their news), to whoever proposed a change (what the second moderator decided).
 */
export const MESSAGE_KINDS = ["staff_submission", "staff_revision", "author_decision", "proposer_decision"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export type NoticeKind = "update" | "reminder" | MessageKind;

export function noticeKind(raw: string): NoticeKind {
  return raw === "reminder" || (MESSAGE_KINDS as readonly string[]).includes(raw) ? (raw as NoticeKind) : "update";
}

export function isMessageKind(kind: NoticeKind): kind is MessageKind {
  return kind !== "update" && kind !== "reminder";
}

/**
 * One notice to one person, with everything needed to word it in their language. For a message kind
 * the update fields are empty: the sender reads what the message is about by its delivery id.
 */
export interface Notice extends EventContent {
  deliveryId: number;
  /** "update": news of the case; "reminder": its hearing is tomorrow; or a message kind. */
  kind: NoticeKind;
  userId: number;
  lang: Lang;
  caseSlug: string;
  eventId: number;
}

export type SendOutcome =
  | { kind: "sent" }
  | { kind: "blocked"; error: string }
  | { kind: "rate_limited"; retryAfterMs: number; error: string }
  | { kind: "failed"; error: string; permanent: boolean };

/** Sends one notice; never throws (every failure is an outcome). Implemented by the bot layer. */
export type SendNotice = (notice: Notice) => Promise<SendOutcome>;

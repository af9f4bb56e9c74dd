import type { Localized } from "../../domain/case.js";
import type { Lang } from "../../domain/codes.js";

/** One notice to one follower, with everything needed to word it in their language. */
export interface Notice {
  deliveryId: number;
  /** "update": news of the case; "reminder": its hearing is tomorrow. */
  kind: "update" | "reminder";
  updateType: string | null;
  statusFrom: string | null;
  statusTo: string | null;
  hearingDate: string | null;
  userId: number;
  lang: Lang;
  caseSlug: string;
  eventId: number;
  date: string;
  originalLang: Lang;
  text: Localized;
  sourceUrl: string | null;
}

export type SendOutcome =
  | { kind: "sent" }
  | { kind: "blocked"; error: string }
  | { kind: "rate_limited"; retryAfterMs: number; error: string }
  | { kind: "failed"; error: string; permanent: boolean };

/** Sends one notice; never throws (every failure is an outcome). Implemented by the bot layer. */
export type SendNotice = (notice: Notice) => Promise<SendOutcome>;

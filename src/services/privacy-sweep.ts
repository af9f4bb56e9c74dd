import type { Logger } from "../logger.js";
import { deleteConversationsBefore } from "../store/conversations.js";
import type { DB } from "../store/db.js";
import { deleteAuthorMessagesBefore } from "../store/deliveries.js";
import { eraseAuthorsDecidedBefore } from "../store/submissions.js";

/** A draft nobody touched for this long is deleted (it holds what a person wrote and never sent). */
export const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;
/** A decision's author is normally erased as soon as they are told; this catches those a crash left. */
export const AUTHOR_LINK_TTL_MS = 60 * 60 * 1000;

/** Deletes expired drafts and erases the authors of decisions made over an hour ago. */
export async function privacySweep(db: DB, now: Date = new Date()): Promise<{ drafts: number; authors: number }> {
  const drafts = await deleteConversationsBefore(db, new Date(now.getTime() - DRAFT_TTL_MS).toISOString());
  const authors = await eraseAuthorsDecidedBefore(db, new Date(now.getTime() - AUTHOR_LINK_TTL_MS).toISOString());
  // A message telling an author the decision that could not go out within the hour goes with the link.
  await deleteAuthorMessagesBefore(db, new Date(now.getTime() - AUTHOR_LINK_TTL_MS).toISOString());
  return { drafts, authors };
}

/** Sweeps now and every hour; the timer does not keep the process alive. */
export function startPrivacySweep(db: DB, logger: Logger, everyMs = 60 * 60 * 1000): NodeJS.Timeout {
  const sweep = () =>
    void privacySweep(db).then(
      (n) => (n.drafts > 0 || n.authors > 0) && logger.info("privacy sweep", n),
      (err: unknown) => logger.warn("privacy sweep failed", { err }),
    );
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return timer;
}

import { CaseService } from "../../src/services/cases.js";
import { ModerationService } from "../../src/services/moderation.js";
import { RoleService } from "../../src/services/roles.js";
import { SubscriptionService } from "../../src/services/subscriptions.js";
import { UserService } from "../../src/services/users.js";
import type { DB } from "../../src/store/db.js";

/** Telegram ids and texts that must never leave through the web, the feeds or the exports. */
export const PRIVATE = {
  reader: 987654321012,
  anonymousAuthor: 555000111222,
  namedAuthor: 555000333444,
  moderator: 910000000777,
  pendingText: "PENDING-NEWS-NOT-PUBLISHED: the hearing will be closed",
  rejectedText: "REJECTED-NEWS-NEVER-PUBLISHED about the trial",
  rejectReason: "REJECT-REASON-FOR-THE-AUTHOR-ONLY",
} as const;

/** Published by the steps below; these texts are meant to appear. */
export const PUBLISHED = {
  anonymous: "The appeal court upheld the sentence on 2 December.",
  named: "Суд отложил рассмотрение апелляции до января.",
  slug: "maks-bokayev",
} as const;

/**
 * The bad-day fixture of every public output: a reader who follows a case, a pending submission,
 * a rejected one, an approved update from an anonymous author and one from a named author, all
 * through the same services the bot uses. Returns the ids of the published timeline events.
 */
export async function seedPrivateRows(db: DB): Promise<{ eventIds: number[] }> {
  const cases = new CaseService(db);
  await cases.refresh();
  const users = new UserService(db);
  const moderation = new ModerationService(db, cases);
  await new RoleService(db).syncAdmins([PRIVATE.moderator]);
  await users.setLanguage(PRIVATE.reader, "ru");
  await new SubscriptionService(db, cases).subscribe(PRIVATE.reader, PUBLISHED.slug, "ru");

  const submit = async (authorId: number, text: string, anonymous: boolean) => {
    const r = await moderation.submit({ caseSlug: PUBLISHED.slug, authorId, authorLang: "en", text, sourceUrl: null, anonymous });
    if (!r.ok) throw new Error(`submit failed: ${r.reason}`);
    // Moderators see an anonymous submission only after a random delay: it passes, as the clock would.
    if (anonymous) await db.updateTable("submissions").set({ shown_at: new Date().toISOString() }).where("id", "=", r.id).execute();
    return r.id;
  };
  await submit(PRIVATE.reader, PRIVATE.pendingText, false);
  const rejected = await submit(PRIVATE.namedAuthor, PRIVATE.rejectedText, false);
  await moderation.reject(rejected, PRIVATE.moderator, PRIVATE.rejectReason);
  const eventIds: number[] = [];
  for (const [author, text, anonymous] of [
    [PRIVATE.anonymousAuthor, PUBLISHED.anonymous, true],
    [PRIVATE.namedAuthor, PUBLISHED.named, false],
  ] as const) {
    const decided = await moderation.approve(await submit(author, text, anonymous), PRIVATE.moderator, { type: "hearing" });
    if (decided.type !== "approved") throw new Error(`approve failed: ${decided.type}`);
    eventIds.push(decided.eventId);
  }
  return { eventIds };
}

/** Every way the private rows could leak, to look for in an output. */
export function leaks(text: string): string[] {
  const needles = [
    String(PRIVATE.reader),
    String(PRIVATE.anonymousAuthor),
    String(PRIVATE.namedAuthor),
    String(PRIVATE.moderator),
    PRIVATE.pendingText,
    PRIVATE.rejectedText,
    PRIVATE.rejectReason,
  ];
  return needles.filter((n) => text.includes(n));
}

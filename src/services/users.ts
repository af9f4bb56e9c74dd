import { isLang, type Lang } from "../domain/codes.js";
import type { DB } from "../store/db.js";
import * as store from "../store/users.js";
import { TtlCache } from "./ttl-cache.js";

/** Another service that keeps something of a user in this process's memory (followed cases). */
export interface RemembersUsers {
  forgetCached(telegramId: number): void;
}

/**
 * What the bot keeps about a person: the Telegram id and the chosen language (and, for staff, a role).
 * A reader who never picks a language leaves no row at all. /forget erases it all, here.
 */
export class UserService {
  /** The stored choice is read on every update; a few seconds of staleness across processes is fine. */
  private readonly stored = new TtlCache<number, Lang | null>(10_000, 50_000);
  private readonly active = new TtlCache<number, true>(600_000, 50_000);

  private readonly now: () => Date;
  /** What else holds a user in memory: dropped with the rows on /forget. */
  private readonly alsoRemembering: readonly RemembersUsers[];

  constructor(
    private readonly db: DB,
    options: { now?: () => Date; alsoRemembering?: readonly RemembersUsers[] } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.alsoRemembering = options.alsoRemembering ?? [];
  }

  /** The stored choice, else the primary subtag of Telegram's language_code if we have it, else English. */
  async language(telegramId: number | undefined, languageCode: string | undefined): Promise<Lang> {
    if (telegramId !== undefined) {
      let stored = this.stored.get(telegramId);
      if (stored === undefined) {
        const raw = await store.getUserLanguage(this.db, telegramId);
        stored = isLang(raw) ? raw : null;
        this.stored.set(telegramId, stored);
      }
      if (stored !== null) return stored;
    }
    return detectLanguage(languageCode);
  }

  async setLanguage(telegramId: number, lang: Lang): Promise<void> {
    await store.setUserLanguage(this.db, telegramId, lang, this.now().toISOString());
    this.stored.set(telegramId, lang);
  }

  /**
   * Someone who blocked the bot (and so was marked inactive) and now writes to it has unblocked it:
   * their subscriptions work again. Checked once per user per process.
   */
  async seen(telegramId: number): Promise<void> {
    if (this.active.get(telegramId)) return;
    await store.reactivateUser(this.db, telegramId);
    this.active.set(telegramId, true);
  }

  /**
   * /forget: deletes everything kept about the user (see store forgetUser; staff keep their role row)
   * and what this process remembers of them.
   */
  async forget(telegramId: number): Promise<void> {
    await store.forgetUser(this.db, telegramId);
    this.forgetCached(telegramId);
    for (const other of this.alsoRemembering) other.forgetCached(telegramId);
  }

  /** Drops what this service remembers of a user (after /forget, or a change made elsewhere). */
  forgetCached(telegramId: number): void {
    this.stored.delete(telegramId);
    this.active.delete(telegramId);
  }
}

export function detectLanguage(languageCode: string | undefined): Lang {
  const primary = languageCode?.toLowerCase().split(/[-_]/)[0];
  return isLang(primary) ? primary : "en";
}

import type { CaseBrief } from "../domain/case.js";
import type { Lang } from "../domain/codes.js";
import type { DB } from "../store/db.js";
import * as store from "../store/subscriptions.js";
import { forgetUser } from "../store/users.js";
import { TtlCache } from "./ttl-cache.js";
import type { CaseService } from "./cases.js";

/** Following cases. Only the Telegram id, the language and the followed cases are kept. */
export class SubscriptionService {
  /**
   * Which cases a user follows, read for every card shown. Changes made here update it; a change
   * made by another process shows on the button within the TTL.
   */
  private readonly followed = new TtlCache<number, Set<string>>(10_000, 50_000);

  constructor(
    private readonly db: DB,
    private readonly cases: CaseService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async subscribe(userId: number, slug: string, lang: Lang): Promise<boolean> {
    if (!this.cases.brief(slug)) return false;
    await store.subscribe(this.db, userId, slug, lang, this.now().toISOString());
    this.followed.delete(userId);
    return true;
  }

  async unsubscribe(userId: number, slug: string): Promise<boolean> {
    const removed = await store.unsubscribe(this.db, userId, slug);
    this.followed.delete(userId);
    return removed;
  }

  async isSubscribed(userId: number, slug: string): Promise<boolean> {
    let set = this.followed.get(userId);
    if (!set) {
      set = new Set(await store.listSubscriptions(this.db, userId));
      this.followed.set(userId, set);
    }
    return set.has(slug);
  }

  async list(userId: number): Promise<CaseBrief[]> {
    const slugs = await store.listSubscriptions(this.db, userId);
    return slugs.map((s) => this.cases.brief(s)).filter((b): b is CaseBrief => b !== undefined);
  }

  /** /forget: everything the bot keeps about the user. Staff keep their role row. */
  async forget(userId: number): Promise<void> {
    await forgetUser(this.db, userId);
    this.followed.delete(userId);
  }
}

import type { CaseBrief } from "../domain/case.js";
import type { Lang } from "../domain/codes.js";
import type { DB } from "../store/db.js";
import * as store from "../store/subscriptions.js";
import { forgetUser } from "../store/users.js";
import type { CaseService } from "./cases.js";

/** Following cases. Only the Telegram id, the language and the followed cases are kept. */
export class SubscriptionService {
  constructor(
    private readonly db: DB,
    private readonly cases: CaseService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async subscribe(userId: number, slug: string, lang: Lang): Promise<boolean> {
    if (!this.cases.brief(slug)) return false;
    await store.subscribe(this.db, userId, slug, lang, this.now().toISOString());
    return true;
  }

  unsubscribe(userId: number, slug: string): Promise<boolean> {
    return store.unsubscribe(this.db, userId, slug);
  }

  isSubscribed(userId: number, slug: string): Promise<boolean> {
    return store.isSubscribed(this.db, userId, slug);
  }

  async list(userId: number): Promise<CaseBrief[]> {
    const slugs = await store.listSubscriptions(this.db, userId);
    return slugs.map((s) => this.cases.brief(s)).filter((b): b is CaseBrief => b !== undefined);
  }

  /** /forget: everything the bot keeps about the user. Staff keep their role row. */
  forget(userId: number): Promise<void> {
    return forgetUser(this.db, userId);
  }
}

import type { CaseBrief } from "../domain/case.js";
import type { Lang } from "../domain/codes.js";
import type { DB } from "../store/db.js";
import * as store from "../store/subscriptions.js";
import { TtlCache } from "./ttl-cache.js";
import type { CaseService } from "./cases.js";

export type FollowMode = "all" | "status";

/** Following cases. Only the Telegram id, the language and the followed cases are kept. */
export class SubscriptionService {
  /**
   * Which cases a user follows, read for every card shown. Changes made here update it; a change
   * made by another process shows on the button within the TTL.
   */
  private readonly followed = new TtlCache<number, Map<string, FollowMode>>(10_000, 50_000);

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

  private async modes(userId: number): Promise<Map<string, FollowMode>> {
    let map = this.followed.get(userId);
    if (!map) {
      const rows = await store.listSubscriptions(this.db, userId);
      map = new Map(rows.map((r) => [r.slug, r.mode === "status" ? "status" : "all"] as const));
      this.followed.set(userId, map);
    }
    return map;
  }

  async isSubscribed(userId: number, slug: string): Promise<boolean> {
    return (await this.modes(userId)).has(slug);
  }

  async list(userId: number): Promise<Array<CaseBrief & { mode: FollowMode }>> {
    const out: Array<CaseBrief & { mode: FollowMode }> = [];
    for (const [slug, mode] of await this.modes(userId)) {
      const brief = this.cases.brief(slug);
      if (brief) out.push({ ...brief, mode });
    }
    return out;
  }

  /** All updates, or status changes only, per followed case. */
  async setMode(userId: number, slug: string, mode: FollowMode): Promise<boolean> {
    const done = await store.setSubscriptionMode(this.db, userId, slug, mode);
    this.followed.delete(userId);
    return done;
  }

  /** Drops the followed cases this process remembers of a user (UserService.forget calls it). */
  forgetCached(userId: number): void {
    this.followed.delete(userId);
  }
}

import { CATEGORIES, type Category, STATUSES } from "../domain/codes.js";
import type { DB } from "../store/db.js";
import * as store from "../store/stats.js";

export interface Count<K extends string = string> {
  key: K;
  count: number;
}

/** The public figures: what /stats shows on the web and in the bot. */
export interface Stats {
  /** Public cases (a new case counts once a second moderator has confirmed it). */
  people: number;
  /** Every category, in the fixed order of the vocabulary, zeros included. */
  byCategory: Array<Count<Category>>;
  /** Statuses that at least one person has, most frequent first. */
  byStatus: Count[];
  /** The last `months` calendar months (UTC), oldest first, zeros included. */
  updatesByMonth: Count[];
  /** Approved updates in `updatesByMonth`. */
  updatesInMonths: number;
  /** Approved updates ever. */
  updatesTotal: number;
  /** When these figures were read (ISO). */
  at: string;
}

/** "YYYY-MM" of the month `back` months before the month of `now`, in UTC. */
export function monthKey(now: Date, back = 0): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * Counts of the public record for charts and tables. Read fresh on every call (a handful of
 * grouped counts). The web's /stats page is kept per revision of the cases and per `period()`
 * (web/replayed-pages.ts); every process follows the revision within seconds.
 */
export class StatsService {
  constructor(
    private readonly db: DB,
    private readonly now: () => Date = () => new Date(),
    readonly months = 12,
  ) {}

  /**
   * The day (UTC, by this service's clock) the figures are as of: they say it ("as of 6 December"),
   * and their months end with its month. What they show changes when it does.
   */
  period(): string {
    return this.now().toISOString().slice(0, 10);
  }

  async get(): Promise<Stats> {
    const now = this.now();
    const since = monthKey(now, this.months - 1);
    const [categories, statuses, monthly, updatesTotal] = await Promise.all([
      store.countVisibleCasesBy(this.db, "category"),
      store.countVisibleCasesBy(this.db, "status"),
      store.countUpdatesByMonth(this.db, since),
      store.countUpdates(this.db),
    ]);
    const byCat = new Map(categories.map((c) => [c.key, c.count]));
    const byMonth = new Map(monthly.map((m) => [m.key, m.count]));
    const order = (key: string) => {
      const i = (STATUSES as readonly string[]).indexOf(key);
      return i < 0 ? STATUSES.length : i;
    };
    const updatesByMonth = Array.from({ length: this.months }, (_, i) => {
      const key = monthKey(now, this.months - 1 - i);
      return { key, count: byMonth.get(key) ?? 0 };
    });
    return {
      people: categories.reduce((n, c) => n + c.count, 0),
      byCategory: CATEGORIES.map((key) => ({ key, count: byCat.get(key) ?? 0 })),
      byStatus: statuses
        .filter((s) => s.count > 0)
        .sort((a, b) => b.count - a.count || order(a.key) - order(b.key) || (a.key < b.key ? -1 : 1)),
      updatesByMonth,
      updatesInMonths: updatesByMonth.reduce((n, m) => n + m.count, 0),
      updatesTotal,
      at: now.toISOString(),
    };
  }
}

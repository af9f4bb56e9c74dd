import type { CaseNames, TimelineEvent } from "../domain/case.js";
import { SLUG_PATTERN } from "../domain/codes.js";
import type { DB } from "../store/db.js";
import { toEvent } from "../store/events.js";
import { type FeedRow, latestUpdates, publicCaseNames } from "../store/feeds.js";

/** An approved update with its person: an entry of a feed, or of the start page's latest. */
export interface FeedEntry extends TimelineEvent {
  slug: string;
  names: CaseNames;
  /** When a moderator approved it (ISO); `date` is the day the news is about. */
  publishedAt: string;
}

export const FEED_SIZE = 50;

function toEntry(r: FeedRow): FeedEntry {
  return { ...toEvent(r), slug: r.case_slug, names: { en: r.name_en, ru: r.name_ru, kk: r.name_kk, kkLatn: null }, publishedAt: r.created_at };
}

/** Approved updates for feeds: all cases, or one. Read fresh, so an approval shows at once. */
export class FeedService {
  constructor(private readonly db: DB) {}

  async latest(limit = FEED_SIZE): Promise<FeedEntry[]> {
    return (await latestUpdates(this.db, limit)).map(toEntry);
  }

  /** Undefined when no public case has this slug (the web answers 404). */
  async ofCase(slug: string, limit = FEED_SIZE): Promise<{ names: CaseNames; entries: FeedEntry[] } | undefined> {
    if (!SLUG_PATTERN.test(slug)) return undefined;
    const row = await publicCaseNames(this.db, slug);
    if (!row) return undefined;
    const names = { en: row.name_en, ru: row.name_ru, kk: row.name_kk, kkLatn: row.name_kk_latn };
    return { names, entries: (await latestUpdates(this.db, limit, slug)).map(toEntry) };
  }
}

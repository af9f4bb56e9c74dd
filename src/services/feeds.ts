import type { CaseNames, Localized } from "../domain/case.js";
import { isLang, type Lang, SLUG_PATTERN } from "../domain/codes.js";
import type { DB } from "../store/db.js";
import { type FeedRow, latestUpdates, publicCaseNames } from "../store/feeds.js";

export interface FeedEntry {
  id: number;
  slug: string;
  names: CaseNames;
  /** The day the news is about (YYYY[-MM[-DD]]). */
  date: string;
  /** When a moderator approved it (ISO). */
  publishedAt: string;
  originalLang: Lang;
  text: Localized;
  sourceUrl: string | null;
  updateType: string | null;
  statusFrom: string | null;
  statusTo: string | null;
  hearingDate: string | null;
}

export const FEED_SIZE = 50;

function localized(en: string | null, ru: string | null, kk: string | null): Localized {
  const out: Localized = {};
  if (en) out.en = en;
  if (ru) out.ru = ru;
  if (kk) out.kk = kk;
  return out;
}

function toEntry(r: FeedRow): FeedEntry {
  return {
    id: r.id,
    slug: r.case_slug,
    names: { en: r.name_en, ru: r.name_ru, kk: r.name_kk, kkLatn: null },
    date: r.event_date,
    publishedAt: r.created_at,
    originalLang: isLang(r.original_lang) ? r.original_lang : "en",
    text: localized(r.text_en, r.text_ru, r.text_kk),
    sourceUrl: r.source_url,
    updateType: r.update_type,
    statusFrom: r.status_from,
    statusTo: r.status_to,
    hearingDate: r.hearing_date,
  };
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

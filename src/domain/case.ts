import type { Category, Lang } from "./codes.js";

export type Localized = Partial<Record<Lang, string>>;

export interface CaseNames {
  en: string;
  ru: string | null;
  kk: string | null;
  kkLatn: string | null;
}

/** What a list or a choice needs to show a person. */
export interface CaseBrief {
  slug: string;
  category: Category;
  status: string;
  names: CaseNames;
}

/** What a dated event says, wherever it is shown (card, feed, notice): the report's entry or an approved update. */
export interface EventContent {
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  date: string;
  originalLang: Lang;
  text: Localized;
  sourceUrl: string | null;
  updateType: string | null;
  statusFrom: string | null;
  statusTo: string | null;
  hearingDate: string | null;
}

export interface TimelineEvent extends EventContent {
  id: number;
  origin: "report" | "update";
}

/** Texts per language from nullable columns; an empty text counts as none. */
export function localized(en: string | null, ru: string | null, kk: string | null): Localized {
  const out: Localized = {};
  if (en !== null && en !== "") out.en = en;
  if (ru !== null && ru !== "") out.ru = ru;
  if (kk !== null && kk !== "") out.kk = kk;
  return out;
}

export interface CaseSource {
  id: string;
  asOf: string;
  title: Localized;
  url: string | null;
}

/**
 * How current a case's status is: what the card, /list, /stale and the web say beside it. One value
 * computed in the store from the case row, so that every face of the bot says the same.
 */
export interface StatusFreshness {
  /**
   * Where the status comes from: "report" (the report's words, never checked since), "changed" (an
   * approved update or a moderator's edit set it), "added" (moderators added the case with it).
   */
  basis: "report" | "changed" | "added";
  /** When the status took its value: the report's month (YYYY-MM) for "report", else an ISO time. */
  since: string;
  /** The link given for it (the report itself for "report": see `source` of the case). */
  sinceSource: string | null;
  /** When a moderator last confirmed it still true without changing it (ISO), and on which link. */
  reviewedAt: string | null;
  reviewSource: string | null;
  /** The later of `since` and `reviewedAt`: when the status was last confirmed. */
  confirmedAt: string;
}

/** A case in a list that shows when its status was last confirmed (/list, /stale). */
export interface CaseListItem extends CaseBrief {
  freshness: StatusFreshness;
}

/** Which spellings of the name are confirmed: Russian, Kazakh (Cyrillic and Latin). English is the report's. */
export interface SpellingConfirmed {
  ru: boolean;
  kk: boolean;
}

/** Everything a case card shows. */
export interface CaseDetail extends CaseBrief {
  role: string;
  origin: "report" | "moderators";
  /** True when every spelling is confirmed; `spellingConfirmed` says which. */
  nameConfirmed: boolean;
  spellingConfirmed: SpellingConfirmed;
  aliases: string[];
  summary: Localized;
  source: CaseSource | null;
  statusChangedAt: string | null;
  /** The link given when the status last changed. */
  statusSource: string | null;
  /** For a case added by moderators: the source link they gave, and createdAt the day they added it. */
  addedSource: string | null;
  createdAt: string;
  freshness: StatusFreshness;
  events: TimelineEvent[];
}

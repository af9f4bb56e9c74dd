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

export interface TimelineEvent {
  id: number;
  date: string;
  origin: "report" | "update";
  originalLang: Lang;
  text: Localized;
  sourceUrl: string | null;
  updateType: string | null;
  statusFrom: string | null;
  statusTo: string | null;
  hearingDate: string | null;
}

export interface CaseSource {
  id: string;
  asOf: string;
  title: Localized;
  url: string | null;
}

/** Everything a case card shows. */
export interface CaseDetail extends CaseBrief {
  role: string;
  origin: "report" | "moderators";
  nameConfirmed: boolean;
  aliases: string[];
  summary: Localized;
  source: CaseSource | null;
  statusChangedAt: string | null;
  /** The link given when the status last changed. */
  statusSource: string | null;
  /** For a case added by moderators: the source link they gave, and createdAt the day they added it. */
  addedSource: string | null;
  createdAt: string;
  events: TimelineEvent[];
}

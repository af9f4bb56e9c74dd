/** Every name and alias of one person, in any script. */
export interface SearchEntry {
  id: string;
  names: string[];
}

export type MatchKind = "exact" | "prefix" | "trigram" | "fuzzy";

export interface SearchHit {
  id: string;
  score: number;
  kind: MatchKind;
  /** The original name string (as given in SearchEntry.names) that matched best. */
  matched: string;
}

export type Resolution =
  | { type: "empty" }
  | { type: "one"; hit: SearchHit }
  | { type: "many"; hits: SearchHit[] }
  | { type: "none"; suggestions: SearchHit[] };

import { foldTokens } from "./fold.js";

/**
 * The knobs of the name search: how much of a query is read, how close a token must be to count, and
 * how hits are scored and resolved into one match, a choice or suggestions.
 */

/** Scoring and resolution constants (exported for tests and tuning). */
export const SEARCH_TUNING = {
  /** raw query characters looked at */
  maxQueryChars: 200,
  /** folded query tokens used */
  maxQueryTokens: 4,
  /** longest folded query token */
  maxTokenLength: 24,
  /** name tokens considered per name */
  maxNameTokens: 8,
  /** minimum query-token length for prefix matching */
  minPrefix: 3,
  /** minimum query-token length for trigram / edit-distance matching */
  minFuzzy: 4,
  /** prefix token range scanned per query variant */
  prefixCap: 5_000,
  /** name postings visited per query (candidate budget) */
  postingsBudget: 200_000,
  /** trigram Dice coefficient needed for a trigram token match */
  trigramMin: 0.45,
  trigramMinLoose: 0.25,
  /** scores */
  prefixBase: 0.8,
  prefixSpan: 0.15,
  trigramBase: 0.4,
  trigramSpan: 0.35,
  /** edit-distance token score: fuzzyWeight * (1 - distance / longer length) */
  fuzzyWeight: 0.85,
  /** weight of name coverage (matched name tokens / name tokens) */
  coverageWeight: 0.15,
  /** multiplier when not every query token found a token of the name */
  partialPenalty: 0.9,
  /** multiplier when some query words matched no name token at all and were ignored */
  noisePenalty: 0.85,
  /** resolve(): a hit needs this score to count as a plausible match */
  good: 0.58,
  /** resolve(): best is "one" if it leads the second plausible hit by this much */
  oneGap: 0.08,
  /** resolve(): "many" lists plausible hits within this of the best */
  manyWindow: 0.12,
  /** resolve(): suggestions in "none" */
  suggestions: 5,
} as const;

const T = SEARCH_TUNING;

/** Folded, bounded query tokens: at most 4, 1-letter tokens dropped when longer ones exist, deduplicated. */
export function queryTokens(query: string): string[] {
  if (typeof query !== "string") return [];
  const raw = query.length > T.maxQueryChars ? query.slice(0, T.maxQueryChars) : query;
  let toks = foldTokens(raw).map((t) => (t.length > T.maxTokenLength ? t.slice(0, T.maxTokenLength) : t));
  if (toks.some((t) => t.length > 1)) toks = toks.filter((t) => t.length > 1);
  return [...new Set(toks)].slice(0, T.maxQueryTokens);
}

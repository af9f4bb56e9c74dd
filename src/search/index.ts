export type { MatchKind, Resolution, SearchEntry, SearchHit } from "./types.js";
export { fold, foldTokens } from "./fold.js";
export { trigrams, trigramSimilarity } from "./trigrams.js";
export { damerauLevenshtein } from "./distance.js";
export { queryVariants } from "./declension.js";
export { SearchIndex } from "./search-index.js";
export { SEARCH_TUNING, queryTokens } from "./tuning.js";
export { parseNamesReference, splitNameCell } from "./reference.js";

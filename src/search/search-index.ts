import { queryVariants } from "./declension.js";
import { damerauLevenshtein } from "./distance.js";
import { foldTokens, foldTokensCached } from "./fold.js";
import { trigrams } from "./trigrams.js";
import type { MatchKind, Resolution, SearchEntry, SearchHit } from "./types.js";

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
const KIND_RANK: Readonly<Record<MatchKind, number>> = { exact: 3, prefix: 2, trigram: 1, fuzzy: 0 };
const RANK_KIND: readonly MatchKind[] = ["fuzzy", "trigram", "prefix", "exact"];
const CYRILLIC = /[\u0400-\u04ff]/;

interface IndexData {
  ids: string[];
  nameEntry: Int32Array;
  nameTokStart: Int32Array;
  nameTokIds: Int32Array;
  nameOrig: string[];
  nameOrigAlt: Array<string | undefined>;
  tokens: string[];
  tokenMap: Map<string, number>;
  tokenPostings: Int32Array[];
  sortedTokens: string[];
  sortedTokenIds: Int32Array;
  trigramMap: Map<string, Int32Array>;
  tokenTrigramCount: Uint16Array;
}

/** Folded, bounded query tokens: at most 4, 1-letter tokens dropped when longer ones exist, deduplicated. */
export function queryTokens(query: string): string[] {
  if (typeof query !== "string") return [];
  const raw = query.length > T.maxQueryChars ? query.slice(0, T.maxQueryChars) : query;
  let toks = foldTokens(raw).map((t) => (t.length > T.maxTokenLength ? t.slice(0, T.maxTokenLength) : t));
  if (toks.some((t) => t.length > 1)) toks = toks.filter((t) => t.length > 1);
  return [...new Set(toks)].slice(0, T.maxQueryTokens);
}

function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SearchIndex {
  readonly size: number;
  private readonly d: IndexData;
  /** per-name bitmask of matched query tokens; scratch, always zero between queries */
  private readonly nameMask: Uint8Array;
  /** per-token shared trigram counts; scratch, always zero between queries */
  private readonly triCounts: Uint16Array;
  /** per query-token slot: token id -> match score (0 = none) and kind rank; scratch, zero between queries */
  private readonly slotScore: Float64Array[] = [];
  private readonly slotRank: Uint8Array[] = [];
  /** per entry: best score so far (0 = untouched), its kind rank and name; scratch, zero between queries */
  private readonly entryScore: Float64Array;
  private readonly entryRank: Uint8Array;
  private readonly entryName: Int32Array;
  /** query-token x name-token matrices (stride 8) */
  private readonly matScore = new Float64Array(4 * 8);
  private readonly matRank = new Uint8Array(4 * 8);

  private constructor(d: IndexData) {
    this.d = d;
    this.size = d.ids.length;
    this.nameMask = new Uint8Array(d.nameEntry.length);
    this.triCounts = new Uint16Array(d.tokens.length);
    for (let i = 0; i < T.maxQueryTokens; i++) {
      this.slotScore.push(new Float64Array(d.tokens.length));
      this.slotRank.push(new Uint8Array(d.tokens.length));
    }
    this.entryScore = new Float64Array(d.ids.length);
    this.entryRank = new Uint8Array(d.ids.length);
    this.entryName = new Int32Array(d.ids.length);
  }

  static build(entries: readonly SearchEntry[]): SearchIndex {
    const ids: string[] = [];
    const idIndex = new Map<string, number>();
    const nameEntry: number[] = [];
    const nameTokStart: number[] = [0];
    const nameTokIds: number[] = [];
    const nameOrig: string[] = [];
    const nameOrigAlt: Array<string | undefined> = [];
    const tokens: string[] = [];
    const tokenMap = new Map<string, number>();
    const postings: number[][] = [];
    const wordCache = new Map<string, readonly string[]>();
    const nameKeys = new Map<string, number>();

    for (const entry of entries) {
      if (!entry || typeof entry.id !== "string" || !Array.isArray(entry.names)) continue;
      let e = idIndex.get(entry.id);
      if (e === undefined) {
        e = ids.length;
        ids.push(entry.id);
        idIndex.set(entry.id, e);
      }
      for (const original of entry.names) {
        if (typeof original !== "string") continue;
        const toks = foldTokensCached(original, wordCache).slice(0, T.maxNameTokens);
        if (toks.length === 0) continue;
        const key = `${e}\u0000${toks.join(" ")}`;
        const existing = nameKeys.get(key);
        if (existing !== undefined) {
          const first = nameOrig[existing]!;
          if (nameOrigAlt[existing] === undefined && CYRILLIC.test(first) !== CYRILLIC.test(original)) {
            nameOrigAlt[existing] = original;
          }
          continue;
        }
        const n = nameEntry.length;
        nameKeys.set(key, n);
        nameEntry.push(e);
        nameOrig.push(original);
        nameOrigAlt.push(undefined);
        const seen = new Set<number>();
        for (const t of toks) {
          let tid = tokenMap.get(t);
          if (tid === undefined) {
            tid = tokens.length;
            tokens.push(t);
            tokenMap.set(t, tid);
            postings.push([]);
          }
          nameTokIds.push(tid);
          if (!seen.has(tid)) {
            seen.add(tid);
            postings[tid]!.push(n);
          }
        }
        nameTokStart.push(nameTokIds.length);
      }
    }

    const order = tokens.map((_, i) => i).sort((a, b) => (tokens[a]! < tokens[b]! ? -1 : tokens[a]! > tokens[b]! ? 1 : 0));
    const triLists = new Map<string, number[]>();
    const tokenTrigramCount = new Uint16Array(tokens.length);
    tokens.forEach((t, tid) => {
      const tris = trigrams(t);
      tokenTrigramCount[tid] = Math.min(tris.length, 65_535);
      for (const tri of tris) {
        let list = triLists.get(tri);
        if (list === undefined) {
          list = [];
          triLists.set(tri, list);
        }
        list.push(tid);
      }
    });
    const trigramMap = new Map<string, Int32Array>();
    for (const [tri, list] of triLists) trigramMap.set(tri, Int32Array.from(list));

    return new SearchIndex({
      ids,
      nameEntry: Int32Array.from(nameEntry),
      nameTokStart: Int32Array.from(nameTokStart),
      nameTokIds: Int32Array.from(nameTokIds),
      nameOrig,
      nameOrigAlt,
      tokens,
      tokenMap,
      tokenPostings: postings.map((p) => Int32Array.from(p)),
      sortedTokens: order.map((i) => tokens[i]!),
      sortedTokenIds: Int32Array.from(order),
      trigramMap,
      tokenTrigramCount,
    });
  }

  /** Ranked hits, one per id, best first. */
  search(query: string, limit = 8): SearchHit[] {
    const toks = queryTokens(query);
    if (toks.length === 0) return [];
    return this.run(toks, limit, false, typeof query === "string" && CYRILLIC.test(query));
  }

  /** Decide between one clear match, a choice between several, or nothing. */
  resolve(query: string, limit = 8): Resolution {
    const toks = queryTokens(query);
    if (toks.length === 0) return { type: "empty" };
    const cyr = CYRILLIC.test(query);
    const max = Math.max(1, Math.min(Math.floor(limit) || 1, 100));
    const hits = this.run(toks, Math.max(max, 16), false, cyr);
    const good = hits.filter((h) => h.score >= T.good);
    const best = good[0];
    if (best === undefined) {
      let suggestions = hits.slice(0, T.suggestions);
      if (suggestions.length === 0) suggestions = this.run(toks, T.suggestions, true, cyr);
      return { type: "none", suggestions };
    }
    const second = good[1];
    if (second === undefined || best.score - second.score >= T.oneGap) return { type: "one", hit: best };
    return { type: "many", hits: good.filter((h) => h.score >= best.score - T.manyWindow).slice(0, max) };
  }

  /**
   * Token matches of one query token, written into scratch slot `slot` (token id -> score, kind rank).
   * Returns the token ids touched.
   */
  private tokenMatches(q: string, loose: boolean, slot: number): number[] {
    const d = this.d;
    const scores = this.slotScore[slot]!;
    const ranks = this.slotRank[slot]!;
    const touched: number[] = [];
    const add = (tid: number, score: number, kind: MatchKind): void => {
      const cur = scores[tid]!;
      if (score > cur) {
        if (cur === 0) touched.push(tid);
        scores[tid] = score;
        ranks[tid] = KIND_RANK[kind];
      }
    };
    for (const v of queryVariants(q)) {
      const text = v.text;
      const len = text.length;
      if (!v.prefixOnly) {
        const tid = d.tokenMap.get(text);
        if (tid !== undefined) add(tid, v.penalty, "exact");
      }
      if (len >= T.minPrefix) {
        let i = lowerBound(d.sortedTokens, text);
        const end = Math.min(d.sortedTokens.length, i + T.prefixCap);
        for (; i < end; i++) {
          const t = d.sortedTokens[i]!;
          if (!t.startsWith(text)) break;
          if (t.length === len) continue;
          add(d.sortedTokenIds[i]!, (T.prefixBase + (T.prefixSpan * len) / t.length) * v.penalty, "prefix");
        }
      }
      if (!v.strict && (len >= T.minFuzzy || (loose && len >= 3))) this.fuzzyMatches(text, loose, add);
    }
    return touched;
  }

  private fuzzyMatches(q: string, loose: boolean, add: (tid: number, score: number, kind: MatchKind) => void): void {
    const d = this.d;
    const counts = this.triCounts;
    const qTris = trigrams(q);
    const qn = qTris.length;
    const L = q.length;
    const dmax = (L >= 6 ? 2 : 1) + (loose ? 1 : 0);
    const triMin = loose ? T.trigramMinLoose : T.trigramMin;
    const minSharedFuzzy = Math.max(1, qn - 4 * dmax);
    const touched: number[] = [];
    for (const tri of qTris) {
      const list = d.trigramMap.get(tri);
      if (list === undefined) continue;
      for (let k = 0; k < list.length; k++) {
        const tid = list[k]!;
        if (counts[tid] === 0) touched.push(tid);
        counts[tid] = counts[tid]! + 1;
      }
    }
    for (const tid of touched) {
      const shared = counts[tid]!;
      counts[tid] = 0;
      const t = d.tokens[tid]!;
      if (t === q) continue;
      const dice = (2 * shared) / (qn + d.tokenTrigramCount[tid]!);
      let score = 0;
      let kind: MatchKind = "trigram";
      if (dice >= triMin) score = T.trigramBase + T.trigramSpan * dice;
      if (Math.abs(t.length - L) <= dmax && shared >= minSharedFuzzy) {
        const dist = damerauLevenshtein(q, t, dmax);
        if (dist <= dmax) {
          const fs = T.fuzzyWeight * (1 - dist / Math.max(L, t.length));
          if (fs > score) {
            score = fs;
            kind = "fuzzy";
          }
        }
      }
      if (score > 0) add(tid, score, kind);
    }
  }

  private run(qToks: string[], limit: number, loose: boolean, preferCyrillic: boolean): SearchHit[] {
    const max = Math.min(Math.floor(limit), 100);
    if (!(max > 0) || qToks.length === 0) return [];
    const nq = Math.min(qToks.length, T.maxQueryTokens);
    const touchedTokens: number[][] = [];
    try {
      for (let i = 0; i < nq; i++) touchedTokens.push(this.tokenMatches(qToks[i]!, loose, i));
      return this.score(touchedTokens, max, preferCyrillic);
    } finally {
      touchedTokens.forEach((tids, slot) => {
        const scores = this.slotScore[slot]!;
        const ranks = this.slotRank[slot]!;
        for (const tid of tids) {
          scores[tid] = 0;
          ranks[tid] = 0;
        }
      });
    }
  }

  private score(touchedTokens: number[][], max: number, preferCyrillic: boolean): SearchHit[] {
    const d = this.d;
    // Words that match no name token at all ("дело Бокаева", "Bokayev case") are noise: drop them, with a penalty.
    const slots: number[] = [];
    touchedTokens.forEach((tids, slot) => {
      if (tids.length > 0) slots.push(slot);
    });
    if (slots.length === 0) return [];
    const noisePenalty = slots.length < touchedTokens.length ? T.noisePenalty : 1;
    const k = slots.length;

    // Candidate names: postings of matched tokens, best token matches first, within a budget.
    const mask = this.nameMask;
    const touched: number[] = [];
    let budget = T.postingsBudget;
    for (let qi = 0; qi < k && budget > 0; qi++) {
      const bit = 1 << qi;
      const slot = slots[qi]!;
      const scores = this.slotScore[slot]!;
      const tids = [...touchedTokens[slot]!].sort((a, b) => scores[b]! - scores[a]!);
      for (const tid of tids) {
        const list = d.tokenPostings[tid]!;
        budget -= list.length;
        for (let p = 0; p < list.length; p++) {
          const n = list[p]!;
          if (mask[n] === 0) touched.push(n);
          mask[n] = mask[n]! | bit;
        }
        if (budget <= 0) break;
      }
    }
    const full = (1 << k) - 1;
    let pool = touched.filter((n) => mask[n] === full);
    let partial = false;
    if (pool.length === 0) {
      pool = touched;
      partial = true;
    }
    for (const n of touched) mask[n] = 0;

    const entryScore = this.entryScore;
    const entryRank = this.entryRank;
    const entryName = this.entryName;
    const entries: number[] = [];
    const slotScores = slots.map((s) => this.slotScore[s]!);
    const slotRanks = slots.map((s) => this.slotRank[s]!);
    const mat = this.matScore;
    const matRank = this.matRank;
    const cw = T.coverageWeight;
    for (const n of pool) {
      const start = d.nameTokStart[n]!;
      const m = Math.min(d.nameTokStart[n + 1]! - start, T.maxNameTokens);
      let sum = 0;
      let count = 0;
      let rank = 3;
      if (k === 1) {
        const sc = slotScores[0]!;
        const rk = slotRanks[0]!;
        for (let j = 0; j < m; j++) {
          const tid = d.nameTokIds[start + j]!;
          const v = sc[tid]!;
          if (v > sum || (v === sum && v > 0 && rk[tid]! > rank)) {
            sum = v;
            rank = rk[tid]!;
          }
        }
        count = sum > 0 ? 1 : 0;
      } else {
        for (let qi = 0; qi < k; qi++) {
          const sc = slotScores[qi]!;
          const rk = slotRanks[qi]!;
          for (let j = 0; j < m; j++) {
            const tid = d.nameTokIds[start + j]!;
            mat[qi * 8 + j] = sc[tid]!;
            matRank[qi * 8 + j] = rk[tid]!;
          }
        }
        bestAssignment(mat, matRank, k, m);
        sum = assignResult.sum;
        count = assignResult.count;
        rank = assignResult.rank;
      }
      if (count === 0) continue;
      let score = (sum / k) * (1 - cw + (cw * count) / m);
      if (partial || count < k) score *= T.partialPenalty;
      score = Math.round(score * noisePenalty * 10_000) / 10_000;
      const e = d.nameEntry[n]!;
      const cur = entryScore[e]!;
      if (cur === 0) entries.push(e);
      if (score > cur || (score === cur && rank > entryRank[e]!)) {
        entryScore[e] = score;
        entryRank[e] = rank;
        entryName[e] = n;
      }
    }

    entries.sort((a, b) => entryScore[b]! - entryScore[a]! || entryRank[b]! - entryRank[a]! || a - b);
    const hits: SearchHit[] = [];
    for (let i = 0; i < entries.length && i < max; i++) {
      const e = entries[i]!;
      const n = entryName[e]!;
      const first = d.nameOrig[n]!;
      const alt = d.nameOrigAlt[n];
      const matched = alt !== undefined && CYRILLIC.test(alt) === preferCyrillic ? alt : first;
      hits.push({ id: d.ids[e]!, score: entryScore[e]!, kind: RANK_KIND[entryRank[e]!]!, matched });
    }
    for (const e of entries) {
      entryScore[e] = 0;
      entryRank[e] = 0;
    }
    return hits;
  }
}

const assignResult = { sum: 0, count: 0, rank: 0 };

/**
 * Best assignment of k query tokens to distinct name tokens (k <= 4, m <= 8, brute force) over a score
 * matrix with row stride 8 (0 = no match). Maximises the score sum, then the worst kind rank.
 */
function bestAssignment(mat: Float64Array, rank: Uint8Array, k: number, m: number): void {
  assignResult.sum = -1;
  assignResult.count = 0;
  assignResult.rank = 0;
  const walk = (qi: number, used: number, sum: number, count: number, worst: number): void => {
    if (qi === k) {
      if (count > 0 && (sum > assignResult.sum || (sum === assignResult.sum && worst > assignResult.rank))) {
        assignResult.sum = sum;
        assignResult.count = count;
        assignResult.rank = worst;
      }
      return;
    }
    for (let j = 0; j < m; j++) {
      const v = mat[qi * 8 + j]!;
      if (v === 0 || used & (1 << j)) continue;
      walk(qi + 1, used | (1 << j), sum + v, count + 1, Math.min(worst, rank[qi * 8 + j]!));
    }
    walk(qi + 1, used, sum, count, worst);
  };
  walk(0, 0, 0, 0, 3);
  if (assignResult.count === 0) assignResult.sum = 0;
}

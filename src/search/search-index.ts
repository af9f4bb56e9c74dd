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

interface TokMatch {
  score: number;
  kind: MatchKind;
}

interface EntryBest {
  score: number;
  rank: number; // KIND_RANK of the hit
  name: number;
}

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

  private constructor(d: IndexData) {
    this.d = d;
    this.size = d.ids.length;
    this.nameMask = new Uint8Array(d.nameEntry.length);
    this.triCounts = new Uint16Array(d.tokens.length);
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

  /** Token matches of one query token: token id -> best score and kind. */
  private tokenMatches(q: string, loose: boolean): Map<number, TokMatch> {
    const d = this.d;
    const out = new Map<number, TokMatch>();
    const add = (tid: number, score: number, kind: MatchKind): void => {
      const cur = out.get(tid);
      if (cur === undefined || score > cur.score) out.set(tid, { score, kind });
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
    return out;
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
    if (!(max > 0)) return [];
    const d = this.d;
    const k = qToks.length;
    const matches = qToks.map((q) => this.tokenMatches(q, loose));
    const mask = this.nameMask;
    const touched: number[] = [];
    let budget = T.postingsBudget;
    for (let qi = 0; qi < k && budget > 0; qi++) {
      const bit = 1 << qi;
      const sorted = [...matches[qi]!].sort((a, b) => b[1].score - a[1].score);
      for (const [tid] of sorted) {
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

    const best = new Map<number, EntryBest>();
    const rows: Array<Array<TokMatch | undefined>> = [];
    for (const n of pool) {
      const start = d.nameTokStart[n]!;
      const m = Math.min(d.nameTokStart[n + 1]! - start, T.maxNameTokens);
      rows.length = 0;
      for (let qi = 0; qi < k; qi++) {
        const row: Array<TokMatch | undefined> = [];
        const mq = matches[qi]!;
        for (let j = 0; j < m; j++) row.push(mq.get(d.nameTokIds[start + j]!));
        rows.push(row);
      }
      // best assignment of query tokens to distinct name tokens (k <= 4, m <= 8: brute force)
      let bestSum = -1;
      let bestCount = 0;
      let bestRank = 0;
      const assign = (qi: number, used: number, sum: number, count: number, rank: number): void => {
        if (qi === k) {
          if (count > 0 && (sum > bestSum || (sum === bestSum && rank > bestRank))) {
            bestSum = sum;
            bestCount = count;
            bestRank = rank;
          }
          return;
        }
        const row = rows[qi]!;
        for (let j = 0; j < m; j++) {
          const tm = row[j];
          if (tm === undefined || used & (1 << j)) continue;
          assign(qi + 1, used | (1 << j), sum + tm.score, count + 1, Math.min(rank, KIND_RANK[tm.kind]));
        }
        assign(qi + 1, used, sum, count, rank);
      };
      assign(0, 0, 0, 0, 3);
      if (bestCount === 0) continue;
      const coverage = bestCount / m;
      let score = (bestSum / k) * (1 - T.coverageWeight + T.coverageWeight * coverage);
      if (partial || bestCount < k) score *= T.partialPenalty;
      score = Math.round(score * 10_000) / 10_000;
      const e = d.nameEntry[n]!;
      const cur = best.get(e);
      if (cur === undefined || score > cur.score || (score === cur.score && bestRank > cur.rank)) {
        best.set(e, { score, rank: bestRank, name: n });
      }
    }

    const ranked = [...best].sort((a, b) => b[1].score - a[1].score || b[1].rank - a[1].rank || a[0] - b[0]);
    return ranked.slice(0, max).map(([e, b]) => {
      const first = d.nameOrig[b.name]!;
      const alt = d.nameOrigAlt[b.name];
      const matched = alt !== undefined && CYRILLIC.test(alt) === preferCyrillic ? alt : first;
      return { id: d.ids[e]!, score: b.score, kind: RANK_KIND[b.rank]!, matched };
    });
  }
}

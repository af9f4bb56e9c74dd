import { bestAssignment } from "./assignment.js";
import { queryVariants } from "./declension.js";
import { damerauLevenshtein } from "./distance.js";
import { buildIndexData, CYRILLIC, type IndexData, lowerBound } from "./index-data.js";
import { trigrams } from "./trigrams.js";
import { queryTokens, SEARCH_TUNING } from "./tuning.js";
import type { MatchKind, Resolution, SearchEntry, SearchHit } from "./types.js";

const T = SEARCH_TUNING;
const KIND_RANK: Readonly<Record<MatchKind, number>> = { exact: 3, prefix: 2, trigram: 1, fuzzy: 0 };
const RANK_KIND: readonly MatchKind[] = ["fuzzy", "trigram", "prefix", "exact"];

/**
 * Multilingual name search over an index built once (index-data.ts): each query token is matched
 * exactly, by prefix, by trigrams or by edit distance against the index's tokens (with declension
 * variants), then names are scored by the best assignment of query tokens to their tokens. Scratch
 * buffers are allocated once per index and left zero after every query.
 */
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
    return new SearchIndex(buildIndexData(entries));
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
        const best = bestAssignment(mat, matRank, k, m);
        sum = best.sum;
        count = best.count;
        rank = best.rank;
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

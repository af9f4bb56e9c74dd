import { foldTokensCached } from "./fold.js";
import { SEARCH_TUNING as T } from "./tuning.js";
import { trigrams } from "./trigrams.js";
import type { SearchEntry } from "./types.js";

/**
 * The search index's data, built once from the entries: ids, each distinct folded name with its token
 * ids and original spellings (a Latin and a Cyrillic one), token postings, the tokens sorted for prefix
 * scans, and trigram lists for fuzzy matching. Typed arrays, so 100,000 cases stay compact.
 */

export const CYRILLIC = /[\u0400-\u04ff]/;

export interface IndexData {
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

export function buildIndexData(entries: readonly SearchEntry[]): IndexData {
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

  return {
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
  };
}

/** First position in a sorted array whose value is not below `key`. */
export function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

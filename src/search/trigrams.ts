/** Unique trigrams of a token padded with one space on each side ("abc" -> " ab", "abc", "bc "). */
export function trigrams(token: string): string[] {
  const s = ` ${token} `;
  const set = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) set.add(s.slice(i, i + 3));
  return [...set];
}

/** Dice coefficient over padded trigram sets, in [0, 1]. */
export function trigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const ta = trigrams(a);
  const tb = new Set(trigrams(b));
  if (ta.length + tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return (2 * shared) / (ta.length + tb.size);
}

/**
 * Query-token variants for Russian declined forms and unfinished glides, on folded tokens.
 * Бокаева -> bokaeva -> "bokaev"; Храпуновых -> hrapunovih -> "hrapunov"; Лейлу -> leilu -> "leila";
 * Храпуновой -> hrapunovoi -> "hrapunova"; Боқаевтың -> bokaevtin -> "bokaev"; Bokay -> bokai -> "boka" (prefix only).
 */
export interface Variant {
  text: string;
  /** multiplier applied to the score of anything this variant matches */
  penalty: number;
  /** exact and prefix only (no trigram / edit distance) */
  strict: boolean;
  /** prefix matching only */
  prefixOnly: boolean;
}

/** [suffix, replacements]: every matching suffix is tried. */
const ENDINGS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["imi", [""]],
  ["ami", [""]],
  ["oiu", ["a"]],
  ["ih", [""]],
  ["im", [""]],
  ["om", [""]],
  ["em", [""]],
  ["oi", ["a"]],
  ["ei", ["a", ""]],
  ["a", [""]],
  ["u", ["", "a"]],
  ["e", ["", "a"]],
  ["i", ["", "a"]],
  // Kazakh case endings after folding (ң -> n, ы/і -> i): genitive -тың/-дың/-ның, dative -қа/-ға/-ке/-ге/-на,
  // accusative -ты/-ды/-ны, locative -та/-да/-нда, ablative -тан/-дан/-нан, instrumental -пен/-бен/-мен.
  ["tin", [""]], ["din", [""]], ["nin", [""]],
  ["ka", [""]], ["ga", [""]], ["ke", [""]], ["ge", [""]], ["na", [""]], ["ne", [""]],
  ["ti", [""]], ["di", [""]], ["ni", [""]],
  ["ta", [""]], ["da", [""]], ["te", [""]], ["de", [""]], ["nda", [""]], ["nde", [""]],
  ["tan", [""]], ["dan", [""]], ["nan", [""]], ["ten", [""]], ["den", [""]], ["nen", [""]],
  ["pen", [""]], ["ben", [""]], ["men", [""]],
];

export const DECLENSION_PENALTY = 0.95;
export const GLIDE_PENALTY = 0.97;
const MIN_STEM = 4;

export function queryVariants(token: string): Variant[] {
  const out: Variant[] = [{ text: token, penalty: 1, strict: false, prefixOnly: false }];
  const seen = new Set<string>([token]);
  for (const [suffix, repl] of ENDINGS) {
    if (!token.endsWith(suffix) || token.length - suffix.length < MIN_STEM) continue;
    const stem = token.slice(0, token.length - suffix.length);
    for (const r of repl) {
      const text = stem + r;
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ text, penalty: DECLENSION_PENALTY, strict: true, prefixOnly: false });
    }
  }
  // "Bokay" folds to "bokai" but the glide merges into the next vowel in "bokaev": also try "boka" as prefix.
  if (token.length >= 4 && /[aeiou]i$/.test(token)) {
    const text = token.slice(0, -1);
    if (!seen.has(text)) out.push({ text, penalty: GLIDE_PENALTY, strict: true, prefixOnly: true });
  }
  // A partial query may stop inside a digraph ("Kayyrz" of "Kayyrzhan"): the last letter
  // may be half of zh/kh/sh/ch/ts/dzh, so also try the prefix without it.
  if (token.length >= 5 && /[zkscdt]$/.test(token)) {
    const text = token.slice(0, -1);
    if (!seen.has(text)) out.push({ text, penalty: DECLENSION_PENALTY, strict: true, prefixOnly: true });
  }
  return out;
}

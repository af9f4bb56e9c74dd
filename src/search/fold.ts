/**
 * Folding of names and queries to a phonetic Latin skeleton, so that English
 * transliteration, Russian Cyrillic, Kazakh Cyrillic and Kazakh Latin (2021)
 * spellings of one name come out equal: Bokayev, Bokaev, Бокаев, Боқаев, Boqaev -> "bokaev".
 */

/** Per-character map, applied after lowercasing. Values are plain Latin; digraph rules run afterwards. */
const CHAR_MAP: Readonly<Record<string, string>> = {
  // Kazakh Latin 2021 and other Latin letters whose NFKD form would lose the sound
  "ä": "a", "ö": "o", "ü": "u", "ū": "u", "ğ": "g", "ş": "sh", "ç": "ch", "ı": "i", "ñ": "n",
  "š": "sh", "č": "ch", "ž": "zh", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "þ": "th",
  // Kazakh Cyrillic letters -> their Russian neighbours' Latin
  "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
  // Russian Cyrillic
  "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
  "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
  "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
  "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
  // Ukrainian / Belarusian extras
  "є": "ye", "ї": "yi", "ґ": "g", "ў": "u",
  // Apostrophe-like marks join the letters around them (O'Neil, Kazakh Latin 2017 g')
  "'": "", "’": "", "‘": "", "ʼ": "", "ʻ": "", "`": "", "´": "",
};

const charCache = new Map<string, string>();
const COMBINING = /\p{M}/u;
/** Invisible format characters (zero-width space and joiners, soft hyphen, BOM, bidi controls): a name typed with them is the same name. */
const FORMAT = /\p{Cf}/u;
const LATIN_ONLY = /^[a-z]+$/;

function mapChar(ch: string): string {
  const c = ch.charCodeAt(0);
  if (ch.length === 1 && c >= 97 && c <= 122) return ch;
  const direct = CHAR_MAP[ch];
  if (direct !== undefined) return direct;
  const cached = charCache.get(ch);
  if (cached !== undefined) return cached;
  let out = " ";
  if (COMBINING.test(ch) || FORMAT.test(ch)) {
    out = "";
  } else {
    const d = ch.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    if (LATIN_ONLY.test(d)) out = d;
  }
  if (charCache.size < 10_000) charCache.set(ch, out);
  return out;
}

const HTML_TAG = /<[^<>]{0,200}>/g;
const HTML_ENTITY = /&(?:[a-z]{2,8}|#\d{1,7}|#x[0-9a-f]{1,6});/gi;

function applyRules(s: string): string {
  return s
    .replace(/shch/g, "sh")
    .replace(/dzh|dj|zh/g, "j")
    .replace(/kh/g, "h")
    .replace(/c(?!h)/g, "k")
    .replace(/ts/g, "c")
    .replace(/q/g, "k")
    .replace(/w/g, "v")
    .replace(/x/g, "ks")
    .replace(/y/g, "i")
    .replace(/([a-z])\1+/g, "$1")
    .replace(/ie/g, "e")
    .replace(/([a-z])\1+/g, "$1");
}

/** Fold a string into its skeleton tokens (words), in order. */
export function foldTokens(input: string): string[] {
  let s = input;
  if (s.includes("<")) s = s.replace(HTML_TAG, " ");
  if (s.includes("&")) s = s.replace(HTML_ENTITY, " ");
  s = s.toLowerCase();
  let mapped = "";
  for (const ch of s) mapped += mapChar(ch);
  const folded = applyRules(mapped);
  return folded.split(/[^a-z]+/).filter((t) => t.length > 0);
}

/** Phonetic Latin skeleton of a name or query: folded tokens joined by single spaces. */
export function fold(s: string): string {
  return foldTokens(s).join(" ");
}

/**
 * Like foldTokens, but folds each whitespace-separated word through a cache (names repeat a lot:
 * first names, common surnames). Used when building an index.
 */
export function foldTokensCached(input: string, cache: Map<string, readonly string[]>): string[] {
  let s = input;
  if (s.includes("<")) s = s.replace(HTML_TAG, " ");
  if (s.includes("&")) s = s.replace(HTML_ENTITY, " ");
  const out: string[] = [];
  for (const word of s.split(/\s+/)) {
    if (word.length === 0) continue;
    let toks = cache.get(word);
    if (toks === undefined) {
      toks = foldTokens(word);
      if (cache.size > 200_000) cache.clear();
      cache.set(word, toks);
    }
    for (const t of toks) out.push(t);
  }
  return out;
}

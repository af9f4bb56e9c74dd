/** Spelling: transliteration of names, slugs, and the generated spellings search uses. */

/** Generated slugs stay short enough for callback data ("ce:<slug>:<field>" ≤ 64 bytes). */
export const SLUG_MAX = 40;

/** Kazakh Cyrillic to the Kazakh Latin alphabet of 2021 (as the report's names are written: Боқаев → Boqaev). */
const KK_LATIN: Readonly<Record<string, string>> = {
  а: "a", ә: "ä", б: "b", в: "v", г: "g", ғ: "ğ", д: "d", е: "e", ё: "io", ж: "j", з: "z", и: "i", й: "i",
  к: "k", қ: "q", л: "l", м: "m", н: "n", ң: "ñ", о: "o", ө: "ö", п: "p", р: "r", с: "s", т: "t", у: "u",
  ұ: "ū", ү: "ü", ф: "f", х: "h", һ: "h", ц: "ts", ч: "ç", ш: "ş", щ: "şş", ъ: "", ы: "y", і: "ı", ь: "",
  э: "e", ю: "iu", я: "ia",
};

/** Russian Cyrillic to the plain Latin spelling used in English-language media (Бокаев → Bokaev). */
const RU_LATIN: Readonly<Record<string, string>> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "yo", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l",
  м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh",
  щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
  // Kazakh letters, should a Kazakh spelling be given as the Russian one
  ә: "a", ғ: "g", қ: "k", ң: "n", ө: "o", ұ: "u", ү: "u", һ: "h", і: "i",
};

function transliterate(text: string, table: Readonly<Record<string, string>>, capitalI: string): string {
  let out = "";
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const mapped = table[lower];
    if (mapped === undefined) out += ch;
    else if (ch === lower || mapped === "") out += mapped;
    // A capital letter: its Latin spelling capitalised (И → İ in Kazakh Latin, as the report writes İgor).
    else out += lower === "и" ? capitalI : mapped.charAt(0).toUpperCase() + mapped.slice(1);
  }
  return out;
}

export function kazakhLatin(name: string): string {
  return transliterate(name, KK_LATIN, "İ");
}

export function russianLatin(name: string): string {
  return transliterate(name, RU_LATIN, "I");
}

/** A slug from the English name: lowercase Latin words joined by hyphens, at most SLUG_MAX characters. */
export function slugify(name: string): string {
  const latin = russianLatin(name)
    .replace(/[ıİ]/g, "i")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/['’ʼ`]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (latin.length <= SLUG_MAX) return latin;
  const cut = latin.slice(0, SLUG_MAX);
  const hyphen = cut.lastIndexOf("-");
  return (hyphen >= 10 ? cut.slice(0, hyphen) : cut).replace(/-+$/, "");
}

/** Spellings worth searching by besides the names themselves: the Russian name in Latin, the Kazakh name in Kazakh Latin. */
export function generatedAliases(names: { en: string; ru: string | null; kk: string | null; kkLatn: string | null }): string[] {
  const taken = new Set([names.en, names.ru, names.kk, names.kkLatn].filter((n): n is string => n !== null).map((n) => n.toLowerCase()));
  const out: string[] = [];
  for (const alias of [names.ru ? russianLatin(names.ru) : null, names.kk ? kazakhLatin(names.kk) : null]) {
    if (alias === null || taken.has(alias.toLowerCase())) continue;
    taken.add(alias.toLowerCase());
    out.push(alias);
  }
  return out;
}

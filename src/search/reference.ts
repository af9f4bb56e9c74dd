import type { SearchEntry } from "./types.js";

/** Capitalised word runs inside a remark: "(or Бүкенов)" -> ["Бүкенов"], "(writes as Жанара Ахмет)" -> ["Жанара Ахмет"]. */
const CAPITALISED_RUN = /\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)*/gu;

/**
 * Split one cell of a names table into names: parenthesised remarks are removed from the name, and
 * capitalised word runs inside them are kept as separate names.
 */
export function splitNameCell(cell: string): string[] {
  const out: string[] = [];
  const remarks: string[] = [];
  const main = cell.replace(/\(([^)]*)\)/g, (_m, inner: string) => {
    remarks.push(inner);
    return " ";
  });
  for (const part of main.split(/\s*,\s*/)) {
    const name = part.replace(/\s+/g, " ").trim();
    if (name) out.push(name);
  }
  for (const r of remarks) for (const m of r.matchAll(CAPITALISED_RUN)) out.push(m[0].trim());
  return out;
}

/**
 * Parse a names reference TSV (header: english, russian, kazakh_cyrillic, kazakh_latin_2021,
 * other_latin_spellings, ...; lines starting with # are comments) into search entries. The id is the
 * English name unless `idOf` says otherwise.
 */
export function parseNamesReference(tsv: string, idOf: (english: string, row: number) => string = (e) => e): SearchEntry[] {
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const header = lines.shift()?.split("\t").map((h) => h.trim()) ?? [];
  const col = (name: string): number => header.indexOf(name);
  const nameCols = ["english", "russian", "kazakh_cyrillic", "kazakh_latin_2021", "other_latin_spellings"].map(col).filter((i) => i >= 0);
  const englishCol = col("english");
  const entries: SearchEntry[] = [];
  lines.forEach((line, row) => {
    const cells = line.split("\t");
    const names: string[] = [];
    for (const c of nameCols) for (const n of splitNameCell(cells[c] ?? "")) if (!names.includes(n)) names.push(n);
    const english = (cells[englishCol] ?? "").trim();
    if (names.length > 0) entries.push({ id: idOf(english || names[0]!, row), names });
  });
  return entries;
}

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NAMES_FILE } from "../helpers/names-reference.js";
import {
  SearchIndex,
  damerauLevenshtein,
  fold,
  parseNamesReference,
  queryTokens,
  queryVariants,
  splitNameCell,
  trigramSimilarity,
  type Resolution,
  type SearchEntry,
} from "../../src/search/index.js";

const tsv = readFileSync(NAMES_FILE, "utf8");
const entries = parseNamesReference(tsv);
const index = SearchIndex.build(entries);

/** The rows of the reference table, by column name. */
const rows: Array<Record<string, string>> = (() => {
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const header = lines.shift()!.split("\t");
  return lines.map((l) => {
    const cells = l.split("\t");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
})();

function idOf(surname: string): string {
  const e = entries.find((x) => x.id.endsWith(` ${surname}`));
  if (!e) throw new Error(`no entry for ${surname}`);
  return e.id;
}

function expectOne(r: Resolution, id: string, query: string): void {
  const got = r.type === "one" ? r.hit.id : r.type === "many" ? r.hits.map((h) => h.id) : r.type;
  expect(r.type, `"${query}" -> ${JSON.stringify(got)}`).toBe("one");
  if (r.type === "one") expect(r.hit.id, `"${query}"`).toBe(id);
}

describe("reference data", () => {
  it("parses 37 people with aliases, remarks split into separate names", () => {
    expect(entries).toHaveLength(37);
    expect(index.size).toBe(37);
    const bukenov = entries.find((e) => e.id === "Sanat Bukenov")!;
    expect(bukenov.names).toContain("Санат Бөкенов");
    expect(bukenov.names).toContain("Бүкенов");
    expect(bukenov.names.some((n) => n.includes("("))).toBe(false);
    const akhmetova = entries.find((e) => e.id === "Zhanara Akhmetova")!;
    expect(akhmetova.names).toContain("Жанара Ахметова");
    expect(akhmetova.names).toContain("Жанара Ахмет");
    expect(entries.find((e) => e.id === "Maks Bokayev")!.names).toEqual(
      expect.arrayContaining(["Maks Bokayev", "Макс Бокаев", "Макс Боқаев", "Maks Boqaev", "Max Bokayev", "Max Bokaev"]),
    );
  });

  it("splitNameCell keeps variant spellings from remarks", () => {
    expect(splitNameCell("Санат Бөкенов (or Бүкенов)")).toEqual(["Санат Бөкенов", "Бүкенов"]);
    expect(splitNameCell("Max Bokayev, Maks Bokaev")).toEqual(["Max Bokayev", "Maks Bokaev"]);
    expect(splitNameCell("")).toEqual([]);
  });
});

describe("fold", () => {
  const same = (names: string[]): void => {
    const folded = names.map(fold);
    expect(new Set(folded).size, `${names.join(" / ")} -> ${folded.join(" / ")}`).toBe(1);
  };

  it("folds English, Russian, Kazakh Cyrillic and Kazakh Latin spellings together", () => {
    same(["Bokayev", "Bokaev", "Бокаев", "Боқаев", "Boqaev"]);
    same(["Жұмағұлов", "Zhumagulov", "Jumagulov", "Jūmağūlov", "Жумагулов"]);
    same(["Dzhakishev", "Jakishev", "Zhakishev", "Джакишев", "Жәкішев", "Jäkışev"]);
    same(["Yeleusinov", "Eleusinov", "Елеусинов", "Елеусінов", "Eleusınov"]);
    same(["Yaroslav", "Iaroslav", "Ярослав"]);
    same(["Ayan", "Aian", "Аян"]);
    same(["Khrapunov", "Hrapunov", "Храпунов"]);
    same(["Sichev", "Sychev", "Сычев", "Сычёв", "Syçev"]);
    same(["Yerimbetov", "Erimbetov", "Еримбетов", "Ерімбетов", "Erımbetov"]);
    same(["Ginatullin", "Ginatulin", "Гинатуллин"]);
    same(["Max", "Maks", "Макс"]);
    same(["Victor", "Viktor", "Виктор"]);
    same(["İgor", "Igor", "Игорь"]);
    same(["Anatoliy", "Anatoly", "Anatolii", "Анатолий"]);
    same(["Abishev", "Äbışev", "Әбішев", "Абишев"]);
    same(["Chuprina", "Çuprina", "Чуприна"]);
  });

  it("produces a Latin skeleton", () => {
    expect(fold("Maks Bokayev")).toBe("maks bokaev");
    expect(fold("  Mūhtar   Jäkışev!! ")).toBe("muhtar jakishev");
    expect(fold("<b>Bokayev</b>")).toBe("bokaev");
    expect(fold("Talğat Aian")).toBe("talgat aian");
    expect(fold("Олеся Халабузарь")).toBe(fold("Olesya Khalabuzar"));
    expect(fold("Olessya")).toBe(fold("Olesia"));
  });

  it("returns empty for input without letters", () => {
    for (const s of ["", "   ", "!!!", "😀🎉👍", "12345", "<br/>", "&nbsp;&amp;"]) expect(fold(s), JSON.stringify(s)).toBe("");
  });

  it("keeps non-Latin-script letters from leaking through", () => {
    expect(fold("北京 Bokayev")).toBe("bokaev");
    expect(fold("Bokayev\u0000\u200b")).toBe("bokaev");
  });
});

describe("helpers", () => {
  it("damerauLevenshtein counts transpositions as one edit and honours the bound", () => {
    expect(damerauLevenshtein("bokaev", "bokaev")).toBe(0);
    expect(damerauLevenshtein("bokaev", "bokaiv")).toBe(1);
    expect(damerauLevenshtein("bokaev", "bokeav")).toBe(1);
    expect(damerauLevenshtein("dzakishev", "jakishev")).toBe(2);
    expect(damerauLevenshtein("", "abc")).toBe(3);
    expect(damerauLevenshtein("abcdef", "uvwxyz", 2)).toBe(3);
  });

  it("trigramSimilarity is 1 for equal and low for unrelated tokens", () => {
    expect(trigramSimilarity("hrapunov", "hrapunov")).toBe(1);
    expect(trigramSimilarity("hrapunov", "hrapunova")).toBeGreaterThan(0.7);
    expect(trigramSimilarity("smith", "bokaev")).toBe(0);
  });

  it("queryVariants strips Russian case endings", () => {
    const texts = (t: string): string[] => queryVariants(t).map((v) => v.text);
    expect(texts("bokaeva")).toContain("bokaev");
    expect(texts("bokaevu")).toContain("bokaev");
    expect(texts("bokaevim")).toContain("bokaev");
    expect(texts("hrapunovih")).toContain("hrapunov");
    expect(texts("hrapunovoi")).toContain("hrapunova");
    expect(texts("atabeka")).toContain("atabek");
  });

  it("queryTokens bounds the query", () => {
    expect(queryTokens("a b c d e f g Bokayev")).toEqual(["bokaev"]);
    expect(queryTokens("one two three four five six")).toHaveLength(4);
    expect(queryTokens("x".repeat(5000)).every((t) => t.length <= 24)).toBe(true);
    expect(queryTokens("Bokayev bokaev БОКАЕВ")).toEqual(["bokaev"]);
  });
});

describe("resolve: one clear match", () => {
  const cases: Array<[string, string]> = [
    ["Bokayev", "Bokayev"], ["Bokaev", "Bokayev"], ["Бокаев", "Bokayev"], ["Боқаев", "Bokayev"], ["Boqaev", "Bokayev"],
    ["Maks Bokayev", "Bokayev"], ["Bokayev Maks", "Bokayev"], ["Бокаева", "Bokayev"], ["Bokaye", "Bokayev"],
    ["bokayv", "Bokayev"], ["Bokay", "Bokayev"], ["Бокаеву", "Bokayev"], ["Бокаевым", "Bokayev"], ["БОКАЕВ", "Bokayev"],
    ["Ayan", "Ayan"], ["Талғат", "Ayan"], ["Аян Талгат", "Ayan"],
    ["Jumagulov", "Zhumagulov"], ["Zhumagulov", "Zhumagulov"], ["Жумагулов", "Zhumagulov"], ["Жұмағұлов", "Zhumagulov"],
    ["Dzhakishev", "Dzhakishev"], ["Jakishev", "Dzhakishev"], ["Жәкішев", "Dzhakishev"], ["Dzakishev", "Dzhakishev"],
    ["Ablyazov", "Ablyazov"], ["Аблязов", "Ablyazov"], ["Äbliazov", "Ablyazov"],
    ["Ulasik", "Ulasik"], ["Уласик", "Ulasik"], ["Mukhortova", "Mukhortova"],
    ["Leila", "Khrapunova"], ["Лейла Храпунова", "Khrapunova"], ["Храпуновой", "Khrapunova"],
    ["Viktor Khrapunov", "Khrapunov"],
    ["Golyshkin", "Golyshkin"], ["Голышкина", "Golyshkin"],
    ["Yeleusinov", "Eleusinov"], ["Eleusinov", "Eleusinov"],
    ["Sichev", "Sichev"], ["Sychev", "Sichev"], ["Сычев", "Sichev"], ["Сычёв", "Sichev"],
    ["Tokmadi", "Tokmadi"], ["Токмади", "Tokmadi"], ["Тоқмади", "Tokmadi"],
    ["Yerimbetov", "Yerimbetov"], ["Еримбетов", "Yerimbetov"], ["Ерімбетов", "Yerimbetov"], ["Erimbetov", "Yerimbetov"],
    ["Атабека", "Atabek"], ["Бүкенов", "Bukenov"], ["<b>Bokayev</b>", "Bokayev"], ["  «Bokayev»!!! 🙂 ", "Bokayev"],
    ["дело Бокаева", "Bokayev"], ["Bokayev case", "Bokayev"],
    ["Боқаевтың", "Bokayev"], ["Боқаевқа", "Bokayev"], ["Жәкішевпен", "Dzhakishev"], ["Аблязовты", "Ablyazov"],
    ["Talgat Ayanov", "Ayan"], ["Edigeyev", "Atabek"], ["Мухтаром Аблязовым", "Ablyazov"], ["Chuprin", "Chuprina"],
  ];
  it.each(cases)("%s -> %s", (query, surname) => {
    const id = surname === "Khrapunov" ? "Viktor Khrapunov" : idOf(surname);
    expectOne(index.resolve(query), id, query);
  });

  it("every person's english, russian, kazakh_cyrillic and kazakh_latin name resolves to that person", () => {
    const failures: string[] = [];
    rows.forEach((row, i) => {
      const id = entries[i]!.id;
      for (const col of ["english", "russian", "kazakh_cyrillic", "kazakh_latin_2021"]) {
        for (const name of splitNameCell(row[col] ?? "")) {
          if (name.split(" ").length < 2) continue; // a lone surname variant from a remark
          const r = index.resolve(name);
          if (r.type !== "one" || r.hit.id !== id) failures.push(`${col}: ${name} -> ${r.type}`);
        }
      }
    });
    expect(failures).toEqual([]);
  });

  it("every alias (other_latin_spellings too) finds its person first in search()", () => {
    for (const e of entries) for (const name of e.names) expect(index.search(name)[0]?.id, name).toBe(e.id);
  });

  it("hits carry kind and the matched original name", () => {
    const r = index.resolve("Бокаев");
    expect(r.type).toBe("one");
    if (r.type !== "one") return;
    expect(r.hit.kind).toBe("exact");
    expect(r.hit.matched).toBe("Макс Бокаев");
    const latin = index.resolve("Maks Bokayev");
    if (latin.type === "one") expect(latin.hit.matched).toBe("Maks Bokayev");
    const partial = index.resolve("Bokaye");
    if (partial.type === "one") expect(partial.hit.kind).toBe("prefix");
    const typo = index.resolve("bokayv");
    if (typo.type === "one") expect(["fuzzy", "trigram"]).toContain(typo.hit.kind);
  });
});

describe("resolve: several people", () => {
  const ids = (r: Resolution): string[] => (r.type === "many" ? r.hits.map((h) => h.id).sort() : []);
  const khrapunovs = ["Ilyas Khrapunov", "Leila Khrapunova", "Viktor Khrapunov"];

  it.each(["Khrapunov", "Храпунов", "Hrapunov", "Храпуновых", "Khrap"])("%s -> the three Khrapunovs", (q) => {
    const r = index.resolve(q);
    expect(r.type, q).toBe("many");
    expect(ids(r)).toEqual(khrapunovs);
  });

  it("partial first names -> everyone who has them", () => {
    expect(ids(index.resolve("Mukh"))).toEqual(expect.arrayContaining(["Mukhtar Ablyazov", "Mukhtar Dzhakishev"]));
    expect(ids(index.resolve("Zhan"))).toEqual(["Zhanara Akhmetova", "Zhanbolat Mamay"]);
  });

  it("Khrapunova (also the genitive of Khrapunov) puts Leila first", () => {
    expect(index.search("Khrapunova")[0]?.id).toBe("Leila Khrapunova");
    expect(index.search("Храпунова")[0]?.id).toBe("Leila Khrapunova");
  });

  it("Sanat -> Bukenov and Dosov", () => {
    expect(ids(index.resolve("Sanat"))).toEqual(["Sanat Bukenov", "Sanat Dosov"]);
    expect(ids(index.resolve("Санат"))).toEqual(["Sanat Bukenov", "Sanat Dosov"]);
  });

  it("Mukhtar -> at least Dzhakishev and Ablyazov", () => {
    const r = index.resolve("Mukhtar");
    expect(r.type).toBe("many");
    expect(ids(r)).toEqual(expect.arrayContaining(["Mukhtar Ablyazov", "Mukhtar Dzhakishev"]));
    expect(ids(index.resolve("Мұхтар"))).toEqual(expect.arrayContaining(["Mukhtar Ablyazov", "Mukhtar Dzhakishev"]));
  });

  it("Igor -> Chuprina and Sichev", () => {
    expect(ids(index.resolve("Igor"))).toEqual(["Igor Chuprina", "Igor Sichev"]);
    expect(ids(index.resolve("Игорь"))).toEqual(["Igor Chuprina", "Igor Sichev"]);
  });

  it("many: best first, at most limit, exact before prefix", () => {
    const r = index.resolve("Khrapunov", 2);
    expect(r.type).toBe("many");
    if (r.type !== "many") return;
    expect(r.hits).toHaveLength(2);
    const all = index.resolve("Khrapunov");
    if (all.type !== "many") return;
    for (let i = 1; i < all.hits.length; i++) expect(all.hits[i - 1]!.score).toBeGreaterThanOrEqual(all.hits[i]!.score);
    expect(all.hits[2]!.id).toBe("Leila Khrapunova");
  });
});

describe("resolve: nothing", () => {
  it.each(["Smith", "Иванов", "John Smith", "Petrov"])("%s -> none", (q) => {
    const r = index.resolve(q);
    expect(r.type, q).toBe("none");
    if (r.type === "none") expect(r.suggestions.length).toBeLessThanOrEqual(5);
  });

  it.each(["", "   ", "!!!", "😀", "🎉👍🏽🇰🇿", "<br>", "123 456", "\n\t"])("%j -> empty", (q) => {
    expect(index.resolve(q)).toEqual({ type: "empty" });
    expect(index.search(q)).toEqual([]);
  });

  it("SQL-ish input is harmless", () => {
    const r = index.resolve("'; DROP TABLE cases; --");
    expect(["none", "empty"]).toContain(r.type);
  });

  it("a 5,000-character junk query is fast and safe", () => {
    let seed = 42;
    const rnd = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const alphabet = "abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі <>&;'\"!?😀 ";
    const chars = [...alphabet];
    const junk = Array.from({ length: 5000 }, () => chars[Math.floor(rnd() * chars.length)]!).join("");
    const queries = [junk, "a".repeat(5000), "Bokayev ".repeat(700), "<b>".repeat(1700), "😀".repeat(2500)];
    for (const q of queries) {
      const t0 = performance.now();
      const r = index.resolve(q);
      const ms = performance.now() - t0;
      expect(["empty", "one", "many", "none"]).toContain(r.type);
      expect(ms).toBeLessThan(50);
    }
    expectOne(index.resolve("Bokayev ".repeat(700)), "Maks Bokayev", "Bokayev x700");
  });

  it("tolerates odd input types at runtime", () => {
    expect(index.resolve(undefined as unknown as string)).toEqual({ type: "empty" });
    expect(index.search(null as unknown as string)).toEqual([]);
    expect(index.search("Bokayev", 0)).toEqual([]);
  });
});

describe("SearchIndex", () => {
  it("search returns one hit per id, ranked", () => {
    const hits = index.search("Khrapunov", 10);
    expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
    expect(hits.slice(0, 3).map((h) => h.id).sort()).toEqual(["Ilyas Khrapunov", "Leila Khrapunova", "Viktor Khrapunov"]);
    expect(index.search("Khrapunov", 1)).toHaveLength(1);
  });

  it("merges entries with the same id and skips empty names", () => {
    const custom: SearchEntry[] = [
      { id: "a", names: ["Maks Bokayev"] },
      { id: "a", names: ["Макс Бокаев", "", "!!!"] },
      { id: "b", names: [] },
    ];
    const idx = SearchIndex.build(custom);
    expect(idx.size).toBe(2);
    expect(idx.search("Бокаев")).toEqual([{ id: "a", score: expect.any(Number), kind: "exact", matched: "Макс Бокаев" }]);
    expect(SearchIndex.build([]).resolve("Bokayev")).toEqual({ type: "none", suggestions: [] });
  });

  it("full-name exact match beats a shared first name", () => {
    const r = index.resolve("Sanat Dosov");
    expectOne(r, "Sanat Dosov", "Sanat Dosov");
    if (r.type === "one") expect(r.hit.score).toBe(1);
  });
});

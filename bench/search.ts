/**
 * Name search benchmark: the 37 real names of the reference table, then 100,000 synthetic people
 * (seeded, deterministic) in English, Russian Cyrillic, Kazakh Cyrillic and Kazakh Latin.
 * Prints figures only. Run: npx tsx bench/search.ts  (add --expose-gc via NODE_OPTIONS for exact heap).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SearchIndex, fold, parseNamesReference, type Resolution, type SearchEntry } from "../src/search/index.js";

/** ../shared/names-reference.tsv beside the repository, or NAMES_REFERENCE. */
const REFERENCE_TSV = process.env["NAMES_REFERENCE"] ?? fileURLToPath(new URL("../../shared/names-reference.tsv", import.meta.url));
const SYNTHETIC_PEOPLE = 100_000;
const QUERIES_PER_KIND = 1_000;
const TARGETS = { p99Ms: 5, buildMs: 5_000, heapMiB: 300 } as const;

// ---------------------------------------------------------------------------------------------
// Synthetic data

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Kazakh Cyrillic first names; [name, gender]. Russian names are written the same in Kazakh Cyrillic. */
const FIRST_NAMES: ReadonlyArray<readonly [string, "m" | "f"]> = [
  ["Айдар", "m"], ["Ержан", "m"], ["Нұрлан", "m"], ["Асқар", "m"], ["Бауыржан", "m"], ["Ғалым", "m"],
  ["Дәурен", "m"], ["Қайрат", "m"], ["Мұрат", "m"], ["Серік", "m"], ["Талғат", "m"], ["Жанболат", "m"],
  ["Ерлан", "m"], ["Әділ", "m"], ["Арман", "m"], ["Дархан", "m"], ["Ғабит", "m"], ["Мұхтар", "m"],
  ["Нұрсұлтан", "m"], ["Қанат", "m"], ["Санат", "m"], ["Бекзат", "m"], ["Жұлдызбек", "m"], ["Өмірзақ", "m"],
  ["Үмбет", "m"], ["Рүстем", "m"], ["Шыңғыс", "m"], ["Ілияс", "m"], ["Әлихан", "m"], ["Есенжол", "m"],
  ["Александр", "m"], ["Сергей", "m"], ["Дмитрий", "m"], ["Андрей", "m"], ["Игорь", "m"], ["Виктор", "m"],
  ["Юрий", "m"], ["Ярослав", "m"], ["Евгений", "m"], ["Олег", "m"],
  ["Айгүл", "f"], ["Гүлнар", "f"], ["Әсел", "f"], ["Жанар", "f"], ["Динара", "f"], ["Салтанат", "f"],
  ["Мөлдір", "f"], ["Ақмарал", "f"], ["Назгүл", "f"], ["Әлима", "f"], ["Жұлдыз", "f"], ["Айжан", "f"],
  ["Ұлжан", "f"], ["Қарлығаш", "f"], ["Ирина", "f"], ["Ольга", "f"], ["Наталья", "f"], ["Татьяна", "f"],
  ["Елена", "f"], ["Юлия", "f"],
];

/** Surname roots in Kazakh Cyrillic; Kazakh roots take -ов/-ев/-ин/-ұлы, Russian ones -ов/-ев/-ин. */
const KAZAKH_ROOTS = [
  "Нұрлан", "Ахмет", "Сейіт", "Жұмағұл", "Боқа", "Әбіш", "Құшақба", "Тоқмад", "Ерімбет", "Жәкіш",
  "Әблияз", "Бөкен", "Дәулетба", "Батырбек", "Ғабдулл", "Байдалин", "Мамай", "Есім", "Қасым", "Сәрсенба",
  "Тұрсын", "Жақсыбек", "Өтеміс", "Ыбырай", "Құнанба", "Шәкәрім", "Әуез", "Мұқан", "Сұлтанбек", "Төлеген",
  "Жандос", "Қуаныш", "Бейсен", "Дүйсен", "Есенгелді", "Қожахмет", "Рысқұл", "Смағұл", "Тілеуберді", "Үсен",
  "Жолдасба", "Ермек", "Қалиасқар", "Нұрмағамбет", "Оспан", "Сағынтай", "Темірхан", "Шалқар", "Ізбасқан", "Әлібек",
  "Бекмұхамбет", "Ғалымжан", "Дастанбек", "Елубай", "Жүнісбек", "Күзембай", "Мырзахмет", "Омарбек", "Серікба", "Тоқтар",
  "Айтқали", "Бақыт", "Дәуітба", "Ерғали", "Жанұзақ", "Исабек", "Қайыржан", "Мәуленба", "Нәби", "Отарба",
  "Рахымжан", "Сапарғали", "Төкен", "Хамит", "Шайхислам",
];
const RUSSIAN_ROOTS = [
  "Иван", "Петр", "Смирн", "Кузнец", "Попов", "Соколов", "Лебед", "Козл", "Новик", "Морозов",
  "Волк", "Солов", "Васил", "Зайц", "Павл", "Семен", "Голубе", "Виноград", "Богдан", "Воробь",
  "Федор", "Михайл", "Беляк", "Тарас", "Белоус", "Комар", "Орл", "Киселе", "Макар", "Андре",
  "Ковал", "Ильин", "Гусе", "Титов", "Кузьм", "Кудрявц", "Баран", "Куликов", "Алексе", "Степан",
  "Яковл", "Сорокин", "Сергее", "Роман", "Захар", "Борис", "Королев", "Герасим", "Пономар", "Григор",
  "Лазар", "Медвед", "Ершов", "Никитин", "Соболе", "Рябов", "Поляк", "Цвет", "Данил", "Жуков",
  "Фролов", "Журавл", "Никола", "Крылов", "Максим", "Сидор", "Осипов", "Белов", "Федот", "Дорофе",
  "Егор", "Матвее", "Бобров", "Дмитри", "Калин",
];

const KZ_TO_RU: Readonly<Record<string, string>> = { "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и" };
const RU_TO_EN: Readonly<Record<string, string>> = {
  "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "y",
  "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
  "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
};
const KZ_TO_LAT: Readonly<Record<string, string>> = {
  "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io", "ж": "j", "з": "z",
  "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p",
  "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ç",
  "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
};
const VOWELS = new Set([..."аеёиоуыэюяәөұүі"]);

function translit(word: string, table: Readonly<Record<string, string>>, yeRule: boolean): string {
  let out = "";
  let prev = "";
  for (const ch of word) {
    const lower = ch.toLowerCase();
    let t = table[lower] ?? lower;
    if (yeRule && lower === "е" && (prev === "" || VOWELS.has(prev) || prev === "ь" || prev === "ъ")) t = "ye";
    out += ch !== lower && t ? t[0]!.toUpperCase() + t.slice(1) : t;
    prev = lower;
  }
  return out;
}
const kzToRu = (w: string): string => [...w].map((c) => { const l = c.toLowerCase(); const r = KZ_TO_RU[l]; return r === undefined ? c : c === l ? r : r.toUpperCase(); }).join("");
const ruToEn = (w: string): string => translit(w, RU_TO_EN, true);
const kzToLat = (w: string): string => translit(w, KZ_TO_LAT, false);

interface SyntheticPerson {
  id: string;
  en: string;
  ru: string;
  kz: string;
  lat: string;
  enSurname: string;
  /** fold of the English full name: people with equal folded names are the same name to a reader */
  foldedName: string;
}

function surnameKz(root: string, kazakh: boolean, female: boolean, rnd: () => number): string {
  const last = root.at(-1)!;
  const soft = "жшщчцй".includes(last) || VOWELS.has(last);
  const r = rnd();
  if (kazakh && r < 0.15) return root + (female ? "қызы" : "ұлы");
  if (r < 0.3) return root + (female ? "ина" : "ин");
  const base = soft ? "ев" : "ов";
  return root + base + (female ? "а" : "");
}

export function syntheticPeople(count: number, seed = 20_240_601): SyntheticPerson[] {
  const rnd = prng(seed);
  const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rnd() * arr.length)]!;
  const people: SyntheticPerson[] = [];
  for (let i = 0; i < count; i++) {
    const [first, gender] = pick(FIRST_NAMES);
    const kazakh = rnd() < 0.65;
    const root = pick(kazakh ? KAZAKH_ROOTS : RUSSIAN_ROOTS);
    const kzSurname = surnameKz(root, kazakh, gender === "f", rnd);
    const ruFirst = kzToRu(first);
    const ruSurname = kzToRu(kzSurname);
    people.push({
      id: `p${String(i).padStart(6, "0")}`,
      kz: `${first} ${kzSurname}`,
      ru: `${ruFirst} ${ruSurname}`,
      en: `${ruToEn(ruFirst)} ${ruToEn(ruSurname)}`,
      lat: `${kzToLat(first)} ${kzToLat(kzSurname)}`,
      enSurname: ruToEn(ruSurname),
      foldedName: fold(`${ruToEn(ruFirst)} ${ruToEn(ruSurname)}`),
    });
  }
  return people;
}

function typo(word: string, rnd: () => number): string {
  const chars = [...word];
  const pos = 1 + Math.floor(rnd() * Math.max(1, chars.length - 2));
  const op = Math.floor(rnd() * 3);
  if (op === 0) chars.splice(pos, 1);
  else if (op === 1) chars[pos] = "aeioukrst"[Math.floor(rnd() * 9)]!;
  else if (pos + 1 < chars.length) [chars[pos], chars[pos + 1]] = [chars[pos + 1]!, chars[pos]!];
  return chars.join("");
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Row {
  set: string;
  kind: string;
  queries: number;
  p50: number; // µs
  p99: number; // µs
  max: number; // µs
  /** share of queries answered with one / many / none-or-empty */
  one: number;
  many: number;
  none: number;
  /** share of checked queries whose answer contains an acceptable hit (NaN: nothing checked) */
  ok: number;
}

/** A query and, optionally, what makes an answer correct (given the ids of "one"/"many"). */
interface Query {
  q: string;
  ok?: (ids: string[]) => boolean;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function measure(index: SearchIndex, set: string, kind: string, queries: readonly Query[]): Row {
  for (const { q } of queries.slice(0, 200)) index.resolve(q); // warm-up
  const times = new Float64Array(queries.length);
  const resolutions: Resolution[] = [];
  queries.forEach(({ q }, i) => {
    const t0 = performance.now();
    const r = index.resolve(q);
    times[i] = (performance.now() - t0) * 1000;
    resolutions.push(r);
  });
  let checked = 0;
  let ok = 0;
  let one = 0;
  let many = 0;
  queries.forEach((query, i) => {
    const r = resolutions[i]!;
    if (r.type === "one") one++;
    else if (r.type === "many") many++;
    if (query.ok) {
      checked++;
      const ids = r.type === "one" ? [r.hit.id] : r.type === "many" ? r.hits.map((h) => h.id) : [];
      if (query.ok(ids)) ok++;
    }
  });
  times.sort();
  const n = queries.length || 1;
  return {
    set,
    kind,
    queries: queries.length,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    max: times[times.length - 1] ?? 0,
    one: one / n,
    many: many / n,
    none: (n - one - many) / n,
    ok: checked ? ok / checked : Number.NaN,
  };
}

function heapMiB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed / 1_048_576;
}

const fmtUs = (us: number): string => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);

export async function benchSearch(): Promise<void> {
  const exactHeap = typeof (globalThis as { gc?: unknown }).gc === "function";
  const rows: Row[] = [];

  // Real names
  const realEntries = parseNamesReference(readFileSync(REFERENCE_TSV, "utf8"));
  let t0 = performance.now();
  const real = SearchIndex.build(realEntries);
  const realBuildMs = performance.now() - t0;
  const realAll: Query[] = [];
  for (const e of realEntries) for (const n of e.names) realAll.push({ q: n, ok: (ids) => ids.includes(e.id) });
  const extra = ["Bokaye", "bokayv", "Khrap", "Бокаева", "Храпуновых", "Dzakishev", "Smith", "Иванов", "<b>Bokayev</b>", "x".repeat(5000)];
  const realQueries: Query[] = [];
  for (let i = 0; realQueries.length < QUERIES_PER_KIND; i++) {
    realQueries.push(i % 4 === 3 ? { q: extra[(i >> 2) % extra.length]! } : realAll[i % realAll.length]!);
  }
  rows.push(measure(real, "real 37", "aliases+odd", realQueries));

  // Synthetic
  const baseHeap = heapMiB();
  t0 = performance.now();
  const people = syntheticPeople(SYNTHETIC_PEOPLE);
  const entries: SearchEntry[] = people.map((p) => ({ id: p.id, names: [p.en, p.ru, p.kz, p.lat] }));
  const genMs = performance.now() - t0;
  t0 = performance.now();
  const index = SearchIndex.build(entries);
  const buildMs = performance.now() - t0;
  const heapAfter = heapMiB();

  // Many synthetic people share a full name: an answer is right when it holds someone of that name.
  const byId = new Map(people.map((p) => [p.id, p]));
  const sameName = (p: SyntheticPerson) => (ids: string[]) => ids.some((id) => byId.get(id)?.foldedName === p.foldedName);
  const surnameStarts = (prefix: string) => {
    const f = fold(prefix);
    return (ids: string[]) => ids.length > 0 && ids.every((id) => byId.get(id)?.foldedName.split(" ").some((t) => t.startsWith(f.slice(0, -1))));
  };
  const rnd = prng(7);
  const sample = (): SyntheticPerson => people[Math.floor(rnd() * people.length)]!;
  const make = (f: (p: SyntheticPerson) => Query): Query[] => Array.from({ length: QUERIES_PER_KIND }, () => f(sample()));
  const synth = `synthetic ${SYNTHETIC_PEOPLE / 1000}k`;
  rows.push(measure(index, synth, "exact Latin", make((p) => ({ q: p.en, ok: sameName(p) }))));
  rows.push(measure(index, synth, "Cyrillic", make((p) => ({ q: p.ru, ok: sameName(p) }))));
  rows.push(measure(index, synth, "Kazakh Cyr", make((p) => ({ q: p.kz, ok: sameName(p) }))));
  rows.push(measure(index, synth, "Kazakh Lat", make((p) => ({ q: p.lat, ok: sameName(p) }))));
  rows.push(measure(index, synth, "typo", make((p) => ({ q: `${p.en.split(" ")[0]} ${typo(p.enSurname, rnd)}`, ok: sameName(p) }))));
  rows.push(
    measure(index, synth, "partial", make((p) => {
      const q = p.enSurname.slice(0, 4 + Math.floor(rnd() * 3));
      return { q, ok: surnameStarts(q) };
    })),
  );
  rows.push(measure(index, synth, "surname only", make((p) => ({ q: p.enSurname }))));

  // Report
  console.log("name search benchmark");
  console.log(`real names: ${realEntries.length} entries, build ${realBuildMs.toFixed(2)} ms`);
  console.log(
    `synthetic: ${entries.length.toLocaleString("en")} entries (${(entries.length * 4).toLocaleString("en")} names), ` +
      `generate ${genMs.toFixed(0)} ms, build ${buildMs.toFixed(0)} ms, heap used after build ${heapAfter.toFixed(1)} MiB ` +
      `(+${(heapAfter - baseHeap).toFixed(1)} MiB for data+index${exactHeap ? ", after gc" : ", no --expose-gc: approximate"})`,
  );
  const pct = (x: number): string => (Number.isNaN(x) ? "-" : `${(x * 100).toFixed(1)}%`);
  const header = ["set", "queries", "kind", "p50", "p99", "max", "one", "many", "none", "right"];
  const table = rows.map((r) => [
    r.set,
    String(r.queries),
    r.kind,
    fmtUs(r.p50),
    fmtUs(r.p99),
    fmtUs(r.max),
    pct(r.one),
    pct(r.many),
    pct(r.none),
    pct(r.ok),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of table) console.log(line(row));
  console.log("right: answer holds a person of that (folded) name; partial: every hit has a name token with that prefix");

  const synthRows = rows.filter((r) => r.set === synth);
  const worstP99 = Math.max(...synthRows.map((r) => r.p99)) / 1000;
  const missed: string[] = [];
  if (worstP99 >= TARGETS.p99Ms) missed.push(`p99 ${worstP99.toFixed(2)} ms >= ${TARGETS.p99Ms} ms`);
  if (buildMs >= TARGETS.buildMs) missed.push(`build ${buildMs.toFixed(0)} ms >= ${TARGETS.buildMs} ms`);
  if (heapAfter >= TARGETS.heapMiB) missed.push(`heap ${heapAfter.toFixed(1)} MiB >= ${TARGETS.heapMiB} MiB`);
  console.log(
    `targets (100k: p99 < ${TARGETS.p99Ms} ms, build < ${TARGETS.buildMs / 1000} s, heap < ${TARGETS.heapMiB} MiB): ` +
      (missed.length ? `missed: ${missed.join("; ")}` : "met"),
  );
}

const argv1 = process.argv[1];
if (argv1 !== undefined && import.meta.url === pathToFileURL(argv1).href) {
  benchSearch().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

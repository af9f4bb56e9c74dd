import { CATEGORIES, LANGS, type Lang, ROLES, SLUG_PATTERN, STATUSES } from "../domain/codes.js";

/** The shape of db/seed/cases.json, checked before anything is written. */
export interface SeedText {
  en: string;
  ru: string;
  kk: string;
}
export interface SeedCase {
  slug: string;
  category: string;
  role: string;
  status: string;
  name: { en: string; ru: string; kk: string; kk_latn: string };
  /**
   * The scripts whose spelling names-reference.tsv confirms: "ru" (Russian), "kk" (Kazakh Cyrillic and
   * Latin). The English spelling is the report's own.
   */
  spelling_confirmed: SpellingScript[];
  aliases: string[];
  summary: SeedText;
  events: Array<{ date: string; text: SeedText }>;
}
export const SPELLING_SCRIPTS = ["ru", "kk"] as const;
export type SpellingScript = (typeof SPELLING_SCRIPTS)[number];

export interface SeedFile {
  report: { id: string; as_of: string; title: SeedText };
  cases: SeedCase[];
}

export class SeedError extends Error {
  override name = "SeedError";
}

type Obj = Record<string, unknown>;

function obj(v: unknown, where: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new SeedError(`${where}: expected an object`);
  return v as Obj;
}
function str(v: unknown, where: string): string {
  if (typeof v !== "string" || v.trim() === "") throw new SeedError(`${where}: expected a non-empty string`);
  return v;
}
function oneOf(v: unknown, allowed: readonly string[], where: string): string {
  const s = str(v, where);
  if (!allowed.includes(s)) throw new SeedError(`${where}: ${s} is not one of ${allowed.join(", ")}`);
  return s;
}
function text(v: unknown, where: string): SeedText {
  const o = obj(v, where);
  const out = {} as Record<Lang, string>;
  for (const lang of LANGS) out[lang] = str(o[lang], `${where}.${lang}`);
  return out;
}
function spellings(v: unknown, where: string): SpellingScript[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new SeedError(`${where}: expected an array of ${SPELLING_SCRIPTS.join(", ")}`);
  return [...new Set(v.map((s, i) => oneOf(s, SPELLING_SCRIPTS, `${where}[${i}]`) as SpellingScript))];
}
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

export function parseSeed(raw: unknown): SeedFile {
  const root = obj(raw, "seed");
  const report = obj(root["report"], "report");
  const cases = root["cases"];
  if (!Array.isArray(cases)) throw new SeedError("cases: expected an array");
  const slugs = new Set<string>();
  const parsed = cases.map((c, i): SeedCase => {
    const o = obj(c, `cases[${i}]`);
    const slug = str(o["slug"], `cases[${i}].slug`);
    if (!SLUG_PATTERN.test(slug)) throw new SeedError(`cases[${i}].slug: ${slug} is not a slug`);
    if (slugs.has(slug)) throw new SeedError(`cases[${i}].slug: ${slug} appears twice`);
    slugs.add(slug);
    const where = `case ${slug}`;
    const name = obj(o["name"], `${where}.name`);
    const aliases = o["aliases"] ?? [];
    const events = o["events"] ?? [];
    if (!Array.isArray(aliases)) throw new SeedError(`${where}.aliases: expected an array`);
    if (!Array.isArray(events)) throw new SeedError(`${where}.events: expected an array`);
    return {
      slug,
      category: oneOf(o["category"], CATEGORIES, `${where}.category`),
      role: oneOf(o["role"], ROLES, `${where}.role`),
      status: oneOf(o["status"], STATUSES, `${where}.status`),
      name: {
        en: str(name["en"], `${where}.name.en`),
        ru: str(name["ru"], `${where}.name.ru`),
        kk: str(name["kk"], `${where}.name.kk`),
        kk_latn: str(name["kk_latn"], `${where}.name.kk_latn`),
      },
      spelling_confirmed: spellings(o["spelling_confirmed"], `${where}.spelling_confirmed`),
      aliases: aliases.map((a, j) => str(a, `${where}.aliases[${j}]`)),
      summary: text(o["summary"], `${where}.summary`),
      events: events.map((e, j) => {
        const eo = obj(e, `${where}.events[${j}]`);
        const date = str(eo["date"], `${where}.events[${j}].date`);
        if (!DATE.test(date)) throw new SeedError(`${where}.events[${j}].date: ${date} is not YYYY[-MM[-DD]]`);
        return { date, text: text(eo["text"], `${where}.events[${j}].text`) };
      }),
    };
  });
  return {
    report: {
      id: str(report["id"], "report.id"),
      as_of: str(report["as_of"], "report.as_of"),
      title: text(report["title"], "report.title"),
    },
    cases: parsed,
  };
}

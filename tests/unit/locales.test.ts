import { describe, expect, it } from "vitest";
import { LANGS } from "../../src/domain/codes.js";
import { loadLocale } from "../../src/i18n.js";

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(obj: Record<string, unknown>, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === "object") for (const [kk, vv] of flatten(v as Record<string, unknown>, `${prefix}${k}.`)) out.set(kk, vv);
    else out.set(prefix + k, String(v));
  }
  return out;
}

const locales = Object.fromEntries(LANGS.map((l) => [l, flatten(loadLocale(l))]));
const base = (key: string) => key.replace(PLURAL, "");

describe("locales", () => {
  it.each(LANGS)("%s has every key the others have", (lang) => {
    const mine = new Set([...locales[lang]!.keys()].map(base));
    const all = new Set(LANGS.flatMap((l) => [...locales[l]!.keys()].map(base)));
    expect([...all].filter((k) => !mine.has(k))).toEqual([]);
  });

  it.each(["ru", "kk"] as const)("%s keeps every {{placeholder}} of the English", (lang) => {
    const problems: string[] = [];
    for (const [key, en] of locales["en"]!) {
      const wanted = new Set(en.match(/\{\{\w+\}\}/g) ?? []);
      const candidates = [...locales[lang]!.entries()].filter(([k]) => base(k) === base(key));
      for (const [k, text] of candidates) {
        for (const p of wanted) if (!text.includes(p)) problems.push(`${k}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("Russian plurals have one, few and many forms", () => {
    for (const form of ["one", "few", "many"]) expect(locales["ru"]!.has(`people_${form}`)).toBe(true);
  });

  it("Russian and Kazakh are translated, not copies of the English", () => {
    for (const lang of ["ru", "kk"] as const) {
      const same = [...locales["en"]!.entries()].filter(([k, v]) => locales[lang]!.get(k) === v && /[a-z]{4}/i.test(v.replace(/<[^>]+>|\{\{\w+\}\}|\/\w+/g, "")));
      expect(same.map(([k]) => k)).toEqual([]);
    }
  });

  it("Kazakh uses Kazakh letters", () => {
    const all = [...locales["kk"]!.values()].join(" ");
    for (const letter of ["ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "і"]) expect(all).toContain(letter);
  });
});

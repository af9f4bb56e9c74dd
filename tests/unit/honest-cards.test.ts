import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderCard } from "../../src/bot/render/card.js";
import { renderCategoryPage } from "../../src/bot/render/lists.js";
import type { Lang } from "../../src/domain/codes.js";
import { createI18n, loadLocale, type Translate } from "../../src/i18n.js";
import { CaseAdminService } from "../../src/services/case-admin.js";
import { CaseService } from "../../src/services/cases.js";
import { RoleService } from "../../src/services/roles.js";
import { findCase } from "../../src/store/cases.js";
import { SEED_FILE } from "../../src/store/seed.js";
import { DATABASES, seededDatabase, type TestDatabase } from "../helpers/databases.js";
import { NAMES_FILE } from "../helpers/names-reference.js";

const LANGS: Lang[] = ["en", "ru", "kk"];
const seed = JSON.parse(readFileSync(SEED_FILE, "utf8")) as {
  cases: Array<{ slug: string; category: string; role: string; status: string; spelling_confirmed: string[]; name: { en: string }; summary: Record<Lang, string> }>;
};
const plain = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

let t: TestDatabase;
let tr: Record<Lang, Translate>;
beforeAll(async () => {
  t = await seededDatabase(DATABASES[0]!);
  const i18n = await createI18n();
  tr = { en: i18n.t("en"), ru: i18n.t("ru"), kk: i18n.t("kk") };
});
afterAll(() => t.cleanup());

async function card(slug: string, lang: Lang): Promise<{ text: string; buttons: string[] }> {
  const detail = await findCase(t.db, slug);
  if (!detail) throw new Error(slug);
  const r = renderCard(tr[lang], lang, detail);
  return { text: plain(r.text), buttons: r.keyboard.inline_keyboard.flat().map((b) => b.text) };
}

describe("a card says how old its status is", () => {
  it("a status from the report says, in the reader's language, that a report of December 2017 said it, that it may have changed, and offers Send news", async () => {
    const expected: Record<Lang, string[]> = {
      en: ["This is what a report of December 2017 said.", "The case may have changed since.", "press “Send news”", "Send news"],
      ru: ["Так было по данным доклада (декабрь 2017 года).", "С тех пор положение могло измениться.", "нажмите «Прислать новость»", "Прислать новость"],
      kk: ["Бұл — баяндамада (2017 жылғы желтоқсан) айтылған мәлімет.", "Содан бері істе өзгеріс болуы мүмкін.", "«Жаңалық жіберу» батырмасын басыңыз", "Жаңалық жіберу"],
    };
    for (const c of seed.cases) {
      for (const lang of LANGS) {
        const { text, buttons } = await card(c.slug, lang);
        for (const words of expected[lang].slice(0, 3)) expect(text, `${c.slug} ${lang}`).toContain(words);
        expect(buttons, `${c.slug} ${lang}`).toContain(expected[lang][3]);
        expect(text).not.toMatch(/published in December|опубликованному в декабре|желтоқсанда жарияланған/);
      }
    }
  });

  it("a status changed by a moderator's edit says since when and its source instead", async () => {
    // Its own database: the other tests read the report's statuses.
    const own = await seededDatabase(DATABASES[0]!);
    const cases = new CaseService(own.db);
    await cases.refresh();
    const admin = new CaseAdminService(own.db, cases, () => new Date("2026-11-30T09:00:00.000Z"));
    const roles = new RoleService(own.db);
    await roles.syncAdmins([1]);
    await roles.setRole(1, 2, "moderator");
    const card = async (slug: string, lang: Lang) => ({ text: plain(renderCard(tr[lang], lang, (await findCase(own.db, slug))!).text) });
    const r = await admin.editField(2, "sanat-bukenov", "status", "suspended_sentence", "https://example.org/bukenov");
    expect(r.type).toBe("applied");
    const since: Record<Lang, string> = { en: "Suspended sentence — since 30 November 2026 (source)", ru: "Условный срок — с 30 ноября 2026 г. (источник)", kk: "Шартты жаза — өзгерген күні: 2026 жылғы 30 қараша (дереккөз)" };
    for (const lang of LANGS) {
      const { text } = await card("sanat-bukenov", lang);
      expect(text).toContain(since[lang]);
      expect(text).not.toContain("⚠️");
    }
    const raw = renderCard(tr.en, "en", (await findCase(own.db, "sanat-bukenov"))!).text;
    expect(raw).toContain('<a href="https://example.org/bukenov">source</a>');
    await own.cleanup();
  });
});

describe("a card says what the report says", () => {
  it("the activists serving prison terms: a group statement, the person listed among them", async () => {
    const words: Record<Lang, string> = {
      en: "The report lists Maks Bokayev among the Kazakhstani activists who, it says, “are serving prison terms",
      ru: "В докладе Макс Бокаев назван среди казахстанских активистов, которые, как там сказано, «отбывают сроки заключения",
      kk: "қазақстандық белсенділердің қатарында аталған",
    };
    for (const lang of LANGS) expect((await card("maks-bokayev", lang)).text).toContain(words[lang]);
    for (const c of seed.cases) {
      expect(c.summary.en).not.toMatch(/is serving a prison term|received a suspended sentence/);
      expect(c.summary.ru).not.toMatch(/отбывает срок|получила? условный срок/);
      expect(c.summary.kk).not.toMatch(/жазасын өтеп жатыр/);
    }
  });

  it("the ban of the suspended sentences is said of the group, and the report's term is attributed", async () => {
    const words: Record<Lang, string[]> = {
      en: ["Of these suspended sentences as a group, not of each one", "it does not say what each sentence includes"],
      ru: ["(в докладе — «условные сроки»)", "О таких приговорах в целом, а не о каждом из них"],
      kk: ["баяндама «шартты жаза» деп атаған", "жалпы, әрқайсысы туралы емес"],
    };
    for (const c of seed.cases.filter((x) => x.category === "suspended_sentence")) {
      for (const lang of LANGS) for (const w of words[lang]) expect((await card(c.slug, lang)).text, `${c.slug} ${lang}`).toContain(w);
    }
  });

  it("the threats and torture of the 'hunt' are said of the campaign, not of the person", async () => {
    const words: Record<Lang, string> = { en: "of that campaign as a whole, not of any one person", ru: "о всей этой кампании в целом, а не о ком-то в отдельности", kk: "сол науқан туралы жалпы, жеке адам туралы емес" };
    const hunted = seed.cases.filter((x) => x.role === "ablyazov_associate");
    expect(hunted).toHaveLength(5);
    for (const c of hunted) for (const lang of LANGS) expect((await card(c.slug, lang)).text, `${c.slug} ${lang}`).toContain(words[lang]);
  });

  it("Zhumagulov and Abishev: held in the detention facility, not 'pre-trial', no role beyond the 19", async () => {
    const lines: Record<Lang, string[]> = {
      en: ["Category: Political prisoner", "Role: Activist or journalist (not specified which)", "Status: Held in a detention facility", "“are being held in the detention facility”", "among the 19 activists and journalists"],
      ru: ["Категория: Политзаключённый", "Роль: Активист или журналист (без уточнения)", "Статус: Содержится под стражей", "находятся в месте содержания под стражей", "к 19 активистам и журналистам"],
      kk: ["Санаты: Саяси тұтқын", "Рөлі: Белсенді немесе журналист (нақтыланбаған)", "Мәртебесі: Күзетпен ұстау орнында ұсталып отыр", "күзетпен ұстау орнында ұсталып отыр", "19 белсенді мен журналистің қатарына"],
    };
    for (const slug of ["almat-zhumagulov", "kenzhebek-abishev"]) {
      for (const lang of LANGS) {
        const { text } = await card(slug, lang);
        for (const l of lines[lang]) expect(text, `${slug} ${lang}`).toContain(l);
        expect(text).not.toMatch(/pre-trial|civil society activist|до суда|гражданск|сотқа дейін|қамау|азаматтық белсенді/i);
      }
    }
  });

  it("Ablyazov's framing is the report's, attributed; his colleagues are «коллега» / «әріптесі»", async () => {
    expect((await card("mukhtar-ablyazov", "en")).text).toContain("The report describes opposition politician Mukhtar Ablyazov as someone “whom Nazarbayev regards as his personal enemy”");
    expect((await card("mukhtar-ablyazov", "ru")).text).toContain("Доклад называет оппозиционного политика Мухтара Аблязова человеком, «которого Назарбаев считает своим личным врагом»");
    expect((await card("mukhtar-ablyazov", "kk")).text).toContain("«Назарбаев өзінің жеке жауы санайтын» адам деп сипаттайды");
    const ru = await card("viktor-khrapunov", "ru");
    const kk = await card("viktor-khrapunov", "kk");
    expect(ru.text).toContain("Роль: Бывший коллега оппозиционного политика Мухтара Аблязова");
    expect(kk.text).toContain("Рөлі: Оппозициялық саясаткер Мұхтар Әблязовтың бұрынғы әріптесі");
    expect(ru.text + JSON.stringify(loadLocale("ru"))).not.toMatch(/соратник/);
    expect(kk.text + JSON.stringify(loadLocale("kk"))).not.toMatch(/серіктес/);
  });

  it("Russian summaries name the report as the speaker: never «по его словам», which a reader can take for the person's own words (or Nazarbayev's)", async () => {
    for (const c of seed.cases) expect(c.summary.ru, c.slug).not.toMatch(/по его словам/i);
    expect((await card("mukhtar-ablyazov", "ru")).text).toContain("«которого Назарбаев считает своим личным врагом». Согласно докладу, из-за того что Франция");
    expect((await card("anatoliy-pogorelov", "ru")).text).toContain("экстрадиции которых, как там сказано, добиваются власти Казахстана");
    expect((await card("bolatbek-blyalov", "ru")).text).toContain("всего таких людей, как там сказано, около десяти");
  });

  it("Russian summaries never open two sentences in a row with «По данным доклада»", () => {
    for (const c of seed.cases) {
      const sentences = c.summary.ru.split(/(?<=[.!?»])\s+/);
      for (let i = 1; i < sentences.length; i++) {
        expect(sentences[i - 1]!.startsWith("По данным доклада") && sentences[i]!.startsWith("По данным доклада"), c.slug).toBe(false);
      }
    }
  });
});

describe("the spelling flag is per script", () => {
  it("the seed confirms exactly the scripts names-reference.tsv confirms", () => {
    const rows = readFileSync(NAMES_FILE, "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")).slice(1).map((l) => l.split("\t"));
    for (const row of rows) {
      const c = seed.cases.find((x) => x.name.en === row[0]);
      const status = row[5]!.trim();
      const expected = status === "confirmed" ? ["ru", "kk"] : status === "confirmed (ru)" ? ["ru"] : [];
      expect(c?.spelling_confirmed, row[0]).toEqual(expected);
    }
  });

  it("a card names the unconfirmed script: Kazakh for Zhumagulov (Russian confirmed), both for Bukenov, none for Bokayev", async () => {
    const notes: Record<Lang, [string, string, string]> = {
      en: ["Kazakh spelling not confirmed", "Russian and Kazakh spellings not confirmed", "Russian spelling not confirmed"],
      ru: ["казахское написание не подтверждено", "русское и казахское написания не подтверждены", "русское написание не подтверждено"],
      kk: ["қазақша жазылуы расталмаған", "орысша және қазақша жазылуы расталмаған", "орысша жазылуы расталмаған"],
    };
    for (const lang of LANGS) {
      const [kkOnly, both, ruOnly] = notes[lang];
      const zh = (await card("almat-zhumagulov", lang)).text;
      expect(zh).toContain(kkOnly);
      expect(zh).not.toContain(ruOnly);
      expect((await card("edige-batyrov", lang)).text).toContain(both);
      const bokayev = (await card("maks-bokayev", lang)).text;
      expect(bokayev).not.toContain(kkOnly);
      expect(bokayev).not.toContain(ruOnly);
    }
  });
});

describe("Kazakh and Russian polish", () => {
  const kk = loadLocale("kk") as Record<string, Record<string, unknown>>;
  const kkAll = JSON.stringify(kk);

  it("Kazakh legal terms, one word for status, the agreed phrasings", () => {
    expect(kk["category"]!["pretrial_detention"]).toBe("Күзетпен ұстау");
    expect(kkAll).not.toMatch(/сотқа дейінгі қамау|Сотқа дейін/i);
    expect(kk["category"]!["abroad"]).toContain("ұстап беру (экстрадициялау)");
    expect(kk["card"]!["status"]).toBe("Мәртебесі");
    expect(kkAll).not.toMatch(/Жағдайы|жағдайы:|Жағдайын|жағдайы →/);
    expect(kk["errors"]!["generic"]).toContain("Біз тарапта қате орын алды");
    expect(String(kk["submit"]!["ask_anonymous"])).toMatch(/^Модераторларға Telegram ID-іңізді көрсетуге рұқсат бересіз бе\?/);
  });

  it("Mukhortova reports to the hospital «есепке тұруға»; Ulasik's “inconclusive” is the same word in Russian and Kazakh", () => {
    const m = seed.cases.find((c) => c.slug === "zinaida-mukhortova")!;
    expect(m.summary.kk).toContain("ай сайын психиатриялық ауруханаға барып, есепке тұруға міндетті");
    expect(m.summary.kk).not.toContain("белгіленуге");
    const u = seed.cases.find((c) => c.slug === "natalia-ulasik")!;
    expect(u.summary.en).toContain("“inconclusive”");
    expect(u.summary.ru).toContain("«неубедительными»");
    expect(u.summary.kk).toContain("«нанымсыз»");
  });
});

describe("/list shows when each status was last confirmed", () => {
  it("each person with the report's month, or the date of the change", async () => {
    const cases = new CaseService(t.db);
    await cases.refresh();
    const page = await cases.listCategory("political_prisoner", 0, 30);
    const texts: Record<Lang, string> = { en: "", ru: "", kk: "" };
    for (const lang of LANGS) texts[lang] = plain(renderCategoryPage(tr[lang], lang, page).text);
    expect(texts.en).toContain("Maks Bokayev — In prison (report of December 2017; may have changed since)");
    expect(texts.ru).toContain("Макс Бокаев — В заключении (доклад, декабрь 2017 года; могло измениться)");
    expect(texts.kk).toContain("Макс Боқаев — Түрмеде (баяндама, 2017 жылғы желтоқсан; өзгеруі мүмкін)");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLocale } from "../../src/i18n.js";
import { SEED_FILE } from "../../src/store/seed.js";
import { readFileSync } from "node:fs";
import { type ApiCall, buttons, createHarness, type Harness, lastReply, texts } from "../helpers/bot-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    strict: true,
  });
});
afterAll(() => h.close());

const seed = JSON.parse(readFileSync(SEED_FILE, "utf8")) as {
  cases: Array<{ slug: string; category: string; status: string; name: Record<string, string>; summary: Record<string, string> }>;
};
const ru = loadLocale("ru") as { category: Record<string, string>; card: Record<string, string> };
const kk = loadLocale("kk") as { category: Record<string, string>; card: Record<string, string> };
const RU = { language_code: "ru", id: 601 };
const KK = { language_code: "kk", id: 602 };

function reply(calls: ApiCall[]): string {
  const text = texts(calls).at(-1);
  if (text === undefined) throw new Error(`no reply; calls: ${calls.map((c) => c.method).join(", ")}`);
  return text;
}

describe("/case", () => {
  it("answers Bokayev with his card in English", async () => {
    // A reader of its own: another test follows Bokayev as the default reader.
    const calls = await h.send("/case Bokayev", { language_code: "en", id: 604 });
    const text = reply(calls);
    expect(text).toContain("<b>Maks Bokayev</b>");
    expect(text).toContain("Макс Бокаев");
    expect(text).toContain("Political prisoner");
    expect(text).toContain("This is what a report of December 2017 said.");
    expect(text).toContain("UN");
    expect(buttons(lastReply(calls)).map((b) => b.text)).toEqual(["Subscribe", "Send news", "Timeline", "Share"]);
  });

  it("finds the same person from Russian, Kazakh, Latin and declined spellings", async () => {
    for (const q of ["Бокаев", "Боқаев", "Boqaev", "Bokaev", "Бокаева", "Bokayev Maks", "bokaye"]) {
      expect(reply(await h.send(`/case ${q}`)), q).toContain("<b>Maks Bokayev</b>");
    }
  });

  it("shows the card in Russian to a Russian-speaking reader", async () => {
    const text = reply(await h.send("/case Bokayev", RU));
    expect(text).toContain("<b>Макс Бокаев</b>");
    expect(text).toContain(ru.category["political_prisoner"]!);
    expect(text).toMatch(/[а-я]{5}/);
    expect(text).not.toContain("Political prisoner");
  });

  it("shows the card in Kazakh with Kazakh spelling", async () => {
    const text = reply(await h.send("/case Ayan", KK));
    expect(text).toContain("<b>Талғат Аян</b>");
    expect(text).toContain(kk.category["political_prisoner"]!);
  });

  it("gives a valid card under 4096 characters for every person in every language", async () => {
    for (const c of seed.cases) {
      for (const from of [{ language_code: "en", id: 701 }, RU, KK]) {
        const calls = await h.press(`c:${c.slug}`, from);
        const edit = calls.find((x) => x.method === "editMessageText");
        expect(edit, `${c.slug} ${from.language_code}`).toBeDefined();
        const lang = from.language_code === "en" ? "en" : from.language_code;
        const name = lang === "en" ? c.name["en"]! : c.name[lang]!;
        expect(String(edit!.payload["text"])).toContain(name.replace(/&/g, "&amp;"));
      }
    }
    expect(h.problems).toEqual([]);
  });

  it("offers a choice when a surname is shared, never a guess", async () => {
    const calls = await h.send("/case Khrapunov");
    const names = buttons(lastReply(calls)).map((b) => b.text);
    expect(names).toHaveLength(3);
    expect(names.join(" ")).toMatch(/Viktor Khrapunov/);
    expect(names.join(" ")).toMatch(/Leila Khrapunova/);
    expect(names.join(" ")).toMatch(/Ilyas Khrapunov/);
    const sanat = buttons(lastReply(await h.send("Sanat"))).map((b) => b.text);
    expect(sanat).toHaveLength(2);
  });

  it("says clearly when nobody matches, and asks for a name when none is given", async () => {
    expect(reply(await h.send("/case Smith"))).toContain("No one in our cases matches “Smith”");
    expect(reply(await h.send("/case"))).toContain("Type a name after the command");
    expect(reply(await h.send("/case    "))).toContain("Type a name after the command");
  });

  it("answers hostile input normally and escapes it", async () => {
    const hostile = [
      "<script>alert(1)</script>",
      "'; DROP TABLE cases; --",
      "😀🔥",
      "x".repeat(5000),
      "<b>Bokayev</b>",
      "&amp; &nbsp; <a href='javascript:1'>",
    ];
    for (const q of hostile) {
      const calls = await h.send(q);
      expect(texts(calls).length, q.slice(0, 20)).toBe(1);
    }
    expect(h.problems).toEqual([]);
    expect(reply(await h.send("/case Bokayev"))).toContain("Maks Bokayev");
  });

  it("treats a plain message as a name", async () => {
    expect(reply(await h.send("Жәкішев"))).toContain("Mukhtar Dzhakishev");
  });
});

describe("buttons", () => {
  it("Timeline shows the dated events and returns to the card", async () => {
    const calls = await h.press("t:natalia-ulasik");
    const text = reply(calls);
    expect(text).toContain("October 2016");
    const back = buttons(lastReply(calls))[0];
    expect(back?.text).toBe("Back to card");
    expect(reply(await h.press(back!.callback_data!))).toContain("<b>Natalia Ulasik</b>");
  });

  it("Subscribe answers the button instead of leaving it spinning", async () => {
    const calls = await h.press("s:maks-bokayev");
    expect(calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);
  });

  it("Share opens inline mode with the person's name", async () => {
    const share = buttons(lastReply(await h.send("/case Bokayev"))).find((b) => b.text === "Share");
    expect(share?.switch_inline_query).toBe("Maks Bokayev");
  });

  it("forged or stale callback data is refused politely", async () => {
    for (const data of ["c:../../etc/passwd", "c:no-such-person", "zzz", "l:nope:1", "lang:xx"]) {
      const calls = await h.press(data);
      const answer = calls.find((c) => c.method === "answerCallbackQuery");
      expect(answer, data).toBeDefined();
      expect(calls.filter((c) => c.method === "editMessageText")).toHaveLength(0);
    }
  });
});

describe("/start, /help, deep links", () => {
  it("/start introduces the bot and its source in the reader's language", async () => {
    expect(reply(await h.send("/start"))).toContain("Report on politically motivated prosecution in Kazakhstan");
    expect(reply(await h.send("/start", KK))).toMatch(/баяндама/i);
  });

  it("/help lists the commands", async () => {
    const text = reply(await h.send("/help"));
    for (const cmd of ["/case", "/list", "/language"]) expect(text).toContain(cmd);
  });

  it("t.me/<bot>?start=case_<slug> opens the card", async () => {
    expect(reply(await h.send("/start case_viktor-khrapunov"))).toContain("<b>Viktor Khrapunov</b>");
    expect(reply(await h.send("/start case_nobody"))).toContain("Kazakhstan case bot");
  });
});

describe("/list", () => {
  it("shows categories with counts and pages through one", async () => {
    const calls = await h.send("/list");
    const cats = buttons(lastReply(calls));
    expect(cats.map((b) => b.text)).toContain("Political prisoners (19)");
    expect(reply(calls)).toContain("37 people");
    const page1 = await h.press(cats[0]!.callback_data!);
    const names1 = buttons(lastReply(page1));
    expect(reply(page1)).toContain("Page 1 of 3");
    // Each person with the date the status was last confirmed.
    expect(reply(page1)).toContain("<b>Aron Atabek</b> — In prison <i>(report of December 2017; may have changed since)</i>");
    const next = names1.find((b) => b.text === "Next ›");
    expect(next).toBeDefined();
    const page2 = await h.press(next!.callback_data!);
    expect(reply(page2)).toContain("Page 2 of 3");
    expect(buttons(lastReply(page2)).map((b) => b.text)).toContain("‹ Previous");
  });
});

describe("/language", () => {
  it("stores the choice and answers in it from then on", async () => {
    const user = { id: 777, language_code: "de" };
    expect(reply(await h.send("/case Bokayev", user))).toContain("Political prisoner");
    const menu = buttons(lastReply(await h.send("/language", user)));
    expect(menu.map((b) => b.text)).toEqual(["✓ English", "Русский", "Қазақша"]);
    await h.press(menu[2]!.callback_data!, user);
    expect(reply(await h.send("/case Bokayev", user))).toContain("<b>Макс Боқаев</b>");
  });
});

describe("inline mode", () => {
  it("offers the card as a result to send", async () => {
    const calls = await h.inline("Бокаев", RU);
    const answer = calls.find((c) => c.method === "answerInlineQuery");
    const results = answer?.payload["results"] as Array<{ title: string; input_message_content: { message_text: string } }>;
    expect(results[0]?.title).toBe("Макс Бокаев");
    expect(results[0]?.input_message_content.message_text).toContain("<b>Макс Бокаев</b>");
    expect(h.problems).toEqual([]);
  });
});

/**
 * Case administration through the bot. Needs the wiring in src/bot/index.ts (caseAdminFeature before
 * fallbackFeature), `caseAdmin` in Services (src/bot/context.ts, src/app.ts) and the "admin" locale keys.
 * Each test builds its own bot on a fresh database (two moderators promoted) and makes the cases and
 * changes it needs.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { visibleLength } from "../../src/bot/render/html.js";
import { createI18n, type Translate } from "../../src/i18n.js";
import { type ApiCall, buttons, createHarness, type Harness, lastReply, texts } from "../helpers/bot-harness.js";

const ADMIN = { id: 1, language_code: "en", first_name: "Admin" };
const MOD = { id: 2, language_code: "en", first_name: "Moderator" };
const MOD2 = { id: 3, language_code: "en", first_name: "Second" };
const READER = { id: 501, language_code: "en", first_name: "Reader" };

let h: Harness;
let t: Translate;

beforeAll(async () => {
  t = (await createI18n()).t("en");
});
beforeEach(async () => {
  h = await createHarness({
    adminIds: [ADMIN.id],
    strict: true,
  });
  await h.send(`/promote ${MOD.id}`, ADMIN);
  await h.send(`/promote ${MOD2.id}`, ADMIN);
});
afterEach(() => h.close());

const to = (calls: ApiCall[], chatId: number) => calls.filter((c) => c.method === "sendMessage" && Number(c.payload["chat_id"]) === chatId);
const answerText = (calls: ApiCall[]) => String(calls.find((c) => c.method === "answerCallbackQuery")?.payload["text"] ?? "");
const lastText = (calls: ApiCall[]) => texts(calls).at(-1) ?? "";
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

async function latestRevision(): Promise<{ id: number; state: string; field: string; case_slug: string }> {
  return h.app.db.selectFrom("case_revisions").select(["id", "state", "field", "case_slug"]).orderBy("id", "desc").executeTakeFirstOrThrow();
}

/** MOD walks /newcase for Arman Testov (summary in Russian only) up to the preview. */
async function newCaseToPreview(): Promise<ApiCall[]> {
  await h.send("/newcase", MOD);
  await h.send("Arman Testov", MOD);
  await h.send("Арман Тестов", MOD);
  await h.send("Арман Тестов", MOD);
  await h.press("an:c:political_prisoner", MOD);
  await h.press("an:r:journalist", MOD);
  await h.press("an:s:imprisoned", MOD);
  await h.press("an:l:ru", MOD);
  await h.send("Вымышленный журналист <b>осуждён</b> & отбывает срок; запись для теста.", MOD);
  const preview = await h.send("https://example.org/testov?a=1&b=2", MOD);
  expect(buttons(lastReply(preview)).map((b) => b.callback_data)).toEqual(["an:save", "an:cancel"]);
  return preview;
}

/** Arman Testov saved by MOD, waiting for a second moderator; returns the revision's id. */
async function newCaseSaved(): Promise<number> {
  await newCaseToPreview();
  await h.press("an:save", MOD);
  const revision = await latestRevision();
  expect(revision).toMatchObject({ field: "case", state: "pending", case_slug: "arman-testov" });
  return revision.id;
}

/** Arman Testov saved by MOD and confirmed by MOD2: readers see it. */
async function newCaseConfirmed(): Promise<void> {
  const id = await newCaseSaved();
  expect((await h.app.services.caseAdmin.confirm(id, MOD2.id)).type).toBe("applied");
}

/** Maks Bokayev released by MOD and confirmed by MOD2; returns the revision's id. */
async function bokayevReleased(): Promise<number> {
  const edit = await h.app.services.caseAdmin.editField(MOD.id, "maks-bokayev", "status", "released", "https://example.org/released");
  if (edit.type !== "pending") throw new Error(edit.type);
  expect((await h.app.services.caseAdmin.confirm(edit.revision.id, MOD2.id)).type).toBe("applied");
  return edit.revision.id;
}

/** Dana Testova proposed by MOD through the service, with summaries near the length limit; returns the revision's id. */
async function danaProposed(): Promise<number> {
  const long = "Вымышленное описание для проверки длины сообщения. ".repeat(38).trim();
  const created = await h.app.services.caseAdmin.createCase(MOD.id, {
    names: { en: "Dana Testova", ru: "Дана Тестова" },
    category: "under_prosecution",
    role: "blogger",
    status: "under_prosecution",
    summary: { en: "A fictional blogger used only in tests: " + "x".repeat(1900), ru: long, kk: "Ойдан шығарылған блогер. ".repeat(70).trim() },
    source: "https://example.org/dana",
  });
  if (created.type !== "created") throw new Error(created.type);
  return created.revisionId;
}

describe("a reader", () => {
  it("is refused at every command and every forged button, and nothing changes", async () => {
    const refusal = t("moderation.forbidden");
    for (const command of ["/newcase", "/editcase Bokayev", "/history Bokayev", "/translations", "/confirm 1"]) {
      const calls = await h.send(command, READER);
      expect(lastText(calls), command).toBe(esc(refusal));
    }
    expect(lastText(await h.send("/revert 1", READER))).toBe(esc(t("moderation.forbidden")));
    expect(lastText(await h.send("/revert 1", MOD))).toBe(esc(t("moderation.admin_only")));
    for (const data of ["rv:1", "rvx:1", "ce:maks-bokayev:summary_kk", "ah:maks-bokayev", "an:save", "an:c:abroad", "ae:v:released", "ae:f:status"]) {
      const calls = await h.press(data, READER);
      expect(answerText(calls), data).toBe(refusal);
      expect(texts(calls), data).toEqual([]);
    }
    expect(await h.app.db.selectFrom("case_revisions").select("id").execute()).toEqual([]);
    expect(h.problems).toEqual([]);
  });
});

describe("/newcase", () => {
  it("walks a moderator through names, codes, summary, source and a preview", async () => {
    const intro = await h.send("/newcase", MOD);
    expect(texts(intro).join("\n")).toContain(esc(t("admin.new.intro")));
    expect(lastText(intro)).toContain(esc(t("admin.new.ask_name_en")));
    // The Russian name where the English one belongs is refused, and asked again.
    expect(lastText(await h.send("Арман Тестов", MOD))).toBe(esc(t("admin.invalid.name_script_latin")));
    expect(lastText(await h.send("/history Bokayev", MOD))).toBe(esc(t("admin.no_commands")));
    expect(lastText(await h.send("Arman Testov", MOD))).toContain(esc(t("admin.new.ask_name_ru")));
    const kk = await h.send("Арман Тестов", MOD);
    expect(buttons(lastReply(kk)).map((b) => b.callback_data)).toEqual(["an:skip"]);
    const category = await h.send("Арман Тестов", MOD);
    expect(buttons(lastReply(category)).map((b) => b.text)).toContain(t("category.political_prisoner"));
    const role = await h.press("an:c:political_prisoner", MOD);
    expect(texts(role).some((x) => x.includes(esc(t("category.political_prisoner"))))).toBe(true);
    expect(buttons(lastReply(role)).map((b) => b.callback_data)).toContain("an:r:journalist");
    const status = await h.press("an:r:journalist", MOD);
    expect(buttons(lastReply(status)).map((b) => b.callback_data)).toContain("an:s:imprisoned");
    const lang = await h.press("an:s:imprisoned", MOD);
    expect(buttons(lastReply(lang)).map((b) => b.callback_data)).toEqual(["an:l:en", "an:l:ru", "an:l:kk"]);
    await h.press("an:l:ru", MOD);
    expect(lastText(await h.send("коротко", MOD))).toContain("7");
    const source = await h.send("Вымышленный журналист <b>осуждён</b> & отбывает срок; запись для теста.", MOD);
    expect(lastText(source)).toContain(esc(t("admin.new.ask_source")));
    expect(lastText(await h.send("not a link", MOD))).toBe(esc(t("admin.invalid.url")));
    const preview = await h.send("https://example.org/testov?a=1&b=2", MOD);
    const text = lastText(preview);
    expect(text).toContain("Arman Testov");
    expect(text).toContain("&lt;b&gt;осуждён&lt;/b&gt; &amp; отбывает");
    expect(text).toContain('href="https://example.org/testov?a=1&amp;b=2"');
    expect(buttons(lastReply(preview)).map((b) => b.callback_data)).toEqual(["an:save", "an:cancel"]);
    expect(h.problems).toEqual([]);
  });

  it("Save keeps the case hidden and asks the other moderators to confirm it", async () => {
    await newCaseToPreview();
    // The other moderators are asked through the outbox, written with the new case.
    const saved = [...(await h.press("an:save", MOD)), ...(await h.deliver())];
    const revision = await latestRevision();
    expect(revision).toMatchObject({ field: "case", state: "pending", case_slug: "arman-testov" });
    expect(texts(to(saved, MOD.id)).join("\n")).toContain(esc(t("admin.new.saved", { id: revision.id })));
    for (const other of [ADMIN.id, MOD2.id]) {
      const notice = to(saved, other);
      expect(notice, `staff ${other}`).toHaveLength(1);
      expect(String(notice[0]!.payload["text"])).toContain("Arman Testov");
      expect(buttons(notice[0]).map((b) => b.callback_data)).toEqual([`rv:${revision.id}`, `rvx:${revision.id}`]);
    }
    expect(to(saved, READER.id)).toEqual([]);
    const search = await h.send("/case Арман Тестов", READER);
    expect(lastText(search)).not.toContain(esc(t("category.political_prisoner")));
    expect(h.problems).toEqual([]);
  });

  it("the same moderator cannot confirm it; a second one can, and then /case finds the person", async () => {
    const id = await newCaseSaved();
    expect(lastText(await h.send("/case Арман Тестов", READER))).not.toContain("Arman Testov");
    expect(answerText(await h.press(`rv:${id}`, MOD))).toBe(t("admin.confirm.same_moderator"));
    expect(lastText(await h.send(`/confirm ${id}`, MOD))).toBe(esc(t("admin.confirm.same_moderator")));
    const confirmed = await h.press(`rv:${id}`, MOD2);
    expect(answerText(confirmed)).toBe(t("admin.confirm.applied", { id }));
    expect(texts(to(await h.deliver(), MOD.id)).join("\n")).toContain(`#${id}`);
    expect(answerText(await h.press(`rv:${id}`, ADMIN))).toContain(`#${id}`);

    const card = lastText(await h.send("/case Арман Тестов", READER));
    expect(card).toContain("Arman Testov");
    expect(card).toContain(esc(t("category.political_prisoner")));
    expect(card).toContain(esc(t("role.journalist")));
    expect(card).toContain("example.org/testov");
    expect(h.problems).toEqual([]);
  });
});

describe("/editcase and /history", () => {
  it("changes a status with a source, and /history shows who, what and why", async () => {
    const fields = await h.send("/editcase Bokayev", MOD);
    expect(buttons(lastReply(fields)).map((b) => b.callback_data)).toContain("ae:f:status");
    const values = await h.press("ae:f:status", MOD);
    expect(lastText(values)).toContain(esc(t("status.imprisoned")));
    expect(buttons(lastReply(values)).map((b) => b.callback_data)).toContain("ae:v:detained");
    expect(buttons(lastReply(values)).map((b) => b.callback_data)).not.toContain("ae:v:imprisoned");
    expect(lastText(await h.press("ae:v:detained", MOD))).toBe(esc(t("admin.edit.ask_source")));
    expect(lastText(await h.send("   ", MOD))).toBe(esc(t("admin.invalid.source_empty")));
    const saved = await h.send("https://example.org/court <ruling>", MOD);
    const revision = await latestRevision();
    expect(revision).toMatchObject({ field: "status", state: "applied", case_slug: "maks-bokayev" });
    expect(lastText(saved)).toContain(`#${revision.id}`);
    expect(lastText(saved)).toContain(esc(t("status.detained")));

    const card = lastText(await h.send("/case Bokayev", READER));
    expect(card).toContain(esc(t("status.detained")));

    const history = lastText(await h.send("/history Bokayev", MOD2));
    expect(history).toContain(esc(t("admin.history.title", { name: "Maks Bokayev" })));
    expect(history).toContain(`#${revision.id}`);
    expect(history).toContain(`<code>${MOD.id}</code>`);
    expect(history).toContain(`${esc(t("status.imprisoned"))} → ${esc(t("status.detained"))}`);
    expect(history).toContain("https://example.org/court &lt;ruling&gt;");
    expect(h.problems).toEqual([]);
  });

  it("a status of released waits for a second moderator", async () => {
    await h.send("/editcase Bokayev", MOD);
    await h.press("ae:f:status", MOD);
    await h.press("ae:v:released", MOD);
    const saved = await h.send("https://example.org/released", MOD);
    const revision = await latestRevision();
    expect(revision).toMatchObject({ field: "status", state: "pending" });
    expect(lastText(saved)).toContain(`#${revision.id}`);
    expect(to(await h.deliver(), MOD2.id)).toHaveLength(1);
    expect(lastText(await h.send("/case Bokayev", READER))).not.toContain(esc(t("status.released")));
    const confirmed = await h.send(`/confirm ${revision.id}`, MOD2);
    expect(texts(confirmed).join("\n")).toContain(esc(t("admin.confirm.applied", { id: revision.id })));
    expect(lastText(await h.send("/case Bokayev", READER))).toContain(esc(t("status.released")));
    expect(h.problems).toEqual([]);
  });

  it("an admin's revert waits for a second moderator, then restores the old value", async () => {
    const released = { id: await bokayevReleased() };
    expect(lastText(await h.send("/case Bokayev", READER))).toContain(esc(t("status.released")));
    const proposed = await h.send(`/revert ${released.id} wrong source`, ADMIN);
    const revert = await latestRevision();
    expect(revert).toMatchObject({ field: "status", state: "pending" });
    expect(lastText(to(proposed, ADMIN.id))).toContain(`#${revert.id}`);
    expect(answerText(await h.press(`rv:${revert.id}`, ADMIN))).toBe(t("admin.confirm.same_moderator"));
    expect(answerText(await h.press(`rv:${revert.id}`, MOD))).toBe(t("admin.confirm.applied", { id: revert.id }));
    expect(lastText(await h.send("/case Bokayev", READER))).toContain(esc(t("status.imprisoned")));
    const history = lastText(await h.send("/history Bokayev", MOD));
    expect(history).toContain(esc(t("admin.state.reverted")));
    expect(history).toContain(esc(t("admin.history.reverts", { id: released.id })));
  });
});

describe("/translations", () => {
  it("counts what is missing and starts the edit of a field from its button", async () => {
    await newCaseConfirmed();
    const list = await h.send("/translations", MOD);
    expect(lastText(list)).toContain(esc(t("admin.translations.count_summary_kk", { count: 1 })));
    const data = buttons(lastReply(list)).map((b) => b.callback_data);
    expect(data).toEqual(["ce:arman-testov:name_kk", "ce:arman-testov:summary_en", "ce:arman-testov:summary_kk"].filter((d) => data.includes(d)));
    expect(data).toContain("ce:arman-testov:summary_en");
    const ask = await h.press("ce:arman-testov:summary_en", MOD);
    expect(lastText(ask)).toContain(esc(t("admin.field.summary_en")));
    await h.send("A fictional journalist, sentenced for publications; an entry for tests.", MOD);
    const saved = await h.send("translation", MOD);
    expect(lastText(saved)).toContain(esc(t("admin.field.summary_en")));
    const again = await h.send("/translations", MOD);
    expect(buttons(lastReply(again)).map((b) => b.callback_data)).not.toContain("ce:arman-testov:summary_en");
    expect(h.problems).toEqual([]);
  });
});

describe("/queue: changes waiting for a second moderator", () => {
  it("shows each waiting change with Confirm and Discard, to staff only", async () => {
    expect(texts(await h.send("/queue", MOD))).toEqual([esc(t("moderation.queue_empty"))]);
    const id = await danaProposed();
    expect(texts(await h.send("/queue", READER))).toEqual([esc(t("moderation.forbidden"))]);
    const queue = await h.send("/queue", MOD2);
    const sent = texts(queue);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toContain(esc(t("admin.pending.title", { count: 1 })));
    expect(sent[1]).toContain("Dana Testova");
    expect(visibleLength(sent[1]!)).toBeLessThan(4096);
    expect(buttons(lastReply(queue)).map((b) => b.callback_data)).toEqual([`rv:${id}`, `rvx:${id}`]);
    expect(h.problems).toEqual([]);
  });

  it("Discard deletes the unconfirmed case and tells whoever proposed it", async () => {
    const id = await danaProposed();
    const calls = await h.press(`rvx:${id}`, MOD2);
    expect(answerText(calls)).toBe(t("admin.discard.case_removed", { id }));
    expect(texts(to(await h.deliver(), MOD.id)).join("\n")).toContain(`#${id}`);
    expect(await h.app.db.selectFrom("cases").select("slug").where("slug", "=", "dana-testova").executeTakeFirst()).toBeUndefined();
    expect(texts(await h.send("/queue", MOD2))).toEqual([esc(t("moderation.queue_empty"))]);
  });
});

describe("a moderator demoted in the middle of /newcase", () => {
  it("is refused at the next step", async () => {
    const demoted = { id: 4, language_code: "en", first_name: "Soon reader" };
    await h.send(`/promote ${demoted.id}`, ADMIN);
    await h.send("/newcase", demoted);
    await h.send("Some Body", demoted);
    await h.send(`/demote ${demoted.id}`, ADMIN);
    const calls = await h.send("Некто Тестовый", demoted);
    expect(lastText(calls)).toBe(esc(t("moderation.forbidden")));
    // The conversation is over: text is a name search again, not an answer.
    expect(lastText(await h.send("Bokayev", demoted))).toContain("Maks Bokayev");
  });
});

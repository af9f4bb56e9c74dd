import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliveryCounts } from "../../src/store/deliveries.js";
import { loadLocale } from "../../src/i18n.js";
import { type ApiCall, buttons, createHarness, type Harness, lastReply, texts } from "../helpers/bot-harness.js";

const ADMIN = { id: 1, language_code: "en", first_name: "Admin" };
const MOD = { id: 2, language_code: "en", first_name: "Mod" };
const ALL = { id: 601, language_code: "ru", first_name: "Все" };
const STATUS_ONLY = { id: 602, language_code: "en", first_name: "StatusOnly" };
const AUTHOR = { id: 603, language_code: "en", first_name: "Author" };
const ru = loadLocale("ru") as { update_type: Record<string, string> };

/** Each test has its own bot on a fresh database: a follower of all updates and a status-only one. */
let h: Harness;
beforeEach(async () => {
  h = await createHarness({
    adminIds: [ADMIN.id],
    strict: true,
  });
  await h.send(`/promote ${MOD.id}`, ADMIN);
  await h.press("s:maks-bokayev", ALL);
  await h.press("s:maks-bokayev", STATUS_ONLY);
  await h.press("sm:maks-bokayev", STATUS_ONLY);
});
afterEach(() => h.close());

const to = (calls: ApiCall[], chatId: number) => calls.filter((c) => c.method === "sendMessage" && Number(c.payload["chat_id"]) === chatId);
const answerText = (calls: ApiCall[]) => String(calls.find((c) => c.method === "answerCallbackQuery")?.payload["text"] ?? "");

async function submit(text: string, anonymous = false): Promise<number> {
  await h.send("/submit Bokayev", AUTHOR);
  await h.send(text, AUTHOR);
  await h.press("sb:skip", AUTHOR);
  await h.press(anonymous ? "sb:anon" : "sb:id", AUTHOR);
  await h.press("sb:send", AUTHOR);
  const row = await h.app.db.selectFrom("submissions").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
  return row.id;
}

const deliver = () => h.deliver();

describe("typed approval", () => {
  it("plain news of a type reaches followers of all updates, labelled in their language, not status-only followers", async () => {
    const id = await submit("The appeal court heard the case and reserved its decision.");
    const picker = await h.press(`ap:${id}`, MOD);
    expect(buttons(lastReply(picker)).map((b) => b.text)).toEqual([
      "Hearing", "Verdict", "Sentence change", "Transfer", "Release", "Detention", "Health", "Travel ban / Interpol", "Other news", "‹ Back",
    ]);
    expect(answerText(await h.press(`ty:${id}:verdict`, MOD))).toBe("Approved and published.");
    const sent = await deliver();
    const notice = to(sent, ALL.id);
    expect(notice).toHaveLength(1);
    expect(String(notice[0]!.payload["text"]).startsWith(`<b>${ru.update_type["verdict"]}</b>`)).toBe(true);
    expect(to(sent, STATUS_ONLY.id)).toHaveLength(0);
  });

  it("a detention that changes the status tells every follower, and the card shows the new status with its date", async () => {
    const id = await submit("He was detained again on Monday, his lawyer said.");
    await h.press(`ap:${id}`, MOD);
    const choice = await h.press(`ty:${id}:detention`, MOD);
    expect(buttons(lastReply(choice)).map((b) => b.text)).toEqual(["Change status to «In pre-trial detention»", "Keep the status", "‹ Back"]);
    expect(answerText(await h.press(`tys:${id}:detention:1`, MOD))).toBe("Approved and published.");
    const sent = await deliver();
    const notice = String(to(sent, STATUS_ONLY.id)[0]?.payload["text"]);
    expect(notice).toContain("<b>Detention</b>");
    expect(notice).toContain("In prison → In pre-trial detention");
    expect(to(sent, ALL.id)).toHaveLength(1);
    const card = texts(await h.send("/case Bokayev", STATUS_ONLY)).at(-1)!;
    expect(card).toContain("In pre-trial detention — <i>since");
    expect(card).toContain("status: In prison → In pre-trial detention");
  });

  it("a release needs a second moderator before it shows", async () => {
    const id = await submit("He was released from custody this morning.");
    await h.press(`ap:${id}`, MOD);
    await h.press(`ty:${id}:release`, MOD);
    const first = await h.press(`tys:${id}:release:1`, MOD);
    expect(answerText(first)).toContain("second moderator");
    expect(texts(await h.send("/case Bokayev", STATUS_ONLY)).at(-1)).not.toContain("Released");
    // Followers hear nothing yet; the other moderators are asked to confirm.
    const waitingCalls = await deliver();
    expect(to(waitingCalls, ALL.id)).toHaveLength(0);
    expect(to(waitingCalls, STATUS_ONLY.id)).toHaveLength(0);
    expect(to(waitingCalls, ADMIN.id).some((c) => buttons(c).some((b) => b.callback_data?.startsWith("rv:")))).toBe(true);
    // What waits is a change of status like any other: one kind of button, Confirm / Discard, in /queue.
    const waiting = await h.app.db.selectFrom("case_revisions").selectAll().where("submission_id", "=", id).executeTakeFirstOrThrow();
    expect(waiting).toMatchObject({ field: "status", state: "pending", new_value: "released", actor_id: MOD.id });
    const queue = await h.send("/queue", ADMIN);
    expect(queue.flatMap((c) => buttons(c)).some((b) => b.callback_data === `rv:${waiting.id}`)).toBe(true);
    expect(answerText(await h.press(`rv:${waiting.id}`, MOD))).toContain("you approved it yourself");
    expect(answerText(await h.press(`rv:${waiting.id}`, STATUS_ONLY))).toBe("Only moderators can do this.");
    expect(answerText(await h.press(`rv:${waiting.id}`, ADMIN))).toBe("Approved and published.");
    expect(texts(await h.send("/case Bokayev", STATUS_ONLY)).at(-1)).toContain("<b>Status:</b> Released");
    const sent = await deliver();
    expect(String(to(sent, STATUS_ONLY.id)[0]?.payload["text"])).toContain("In prison → Released");
    expect(answerText(await h.press(`rv:${waiting.id}`, ADMIN))).toContain("already been decided");
  });

  it("a hearing with a date queues one reminder per follower for the day before, sent once across restarts", async () => {
    const id = await submit("The next hearing is scheduled, according to the court website.");
    await h.press(`ap:${id}`, MOD);
    const ask = await h.press(`ty:${id}:hearing`, MOD);
    expect(texts(ask).at(-1)).toContain("YYYY-MM-DD");
    expect(texts(await h.send("next week", MOD)).at(-1)).toContain("not a date");
    const day = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
    await h.send(day, MOD);
    const reminders = await h.app.db.selectFrom("deliveries").selectAll().where("kind", "=", "reminder").execute();
    expect(reminders.map((r) => r.user_id)).toEqual([ALL.id]);
    expect(reminders[0]!.next_attempt_at).toBe(Date.parse(`${day}T00:00:00Z`) - 15 * 3600_000);
    await deliver(); // the news itself; the reminder is not due yet
    expect((await deliveryCounts(h.app.db))["pending"]).toBe(1);
    await h.app.db.updateTable("deliveries").set({ next_attempt_at: Date.now() }).where("kind", "=", "reminder").execute(); // the day before comes
    const sent = await deliver();
    expect(String(to(sent, ALL.id)[0]?.payload["text"])).toMatch(/^<b>[^<]+<\/b> · /);
    expect(to(sent, ALL.id)).toHaveLength(1);
    expect(to(await deliver(), ALL.id)).toHaveLength(0); // a new worker run sends it no second time
  });
});

describe("anonymous submissions", () => {
  it("moderators see anonymous #N instead of the author's id, and the author is still told", async () => {
    await h.send("/submit Bokayev", AUTHOR);
    await h.send("A source close to the family reports his health got worse.", AUTHOR);
    await h.press("sb:skip", AUTHOR);
    const preview = await h.press("sb:anon", AUTHOR);
    expect(texts(preview).at(-1)).toContain("stay anonymous");
    const sent = await h.press("sb:send", AUTHOR);
    // Not at the moment the author pressed Send (that would tell when they were active): neither a
    // notice nor /queue shows it, and a decision cannot find it, until its random delay has passed.
    expect(to(sent, ADMIN.id)).toEqual([]);
    expect(JSON.stringify(await h.send("/queue", ADMIN))).not.toContain("A source close");
    const hidden = await h.app.db.selectFrom("submissions").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(answerText(await h.press(`q:${hidden.id}`, ADMIN))).toBe("There is no such submission.");
    expect(answerText(await h.press(`rj:${hidden.id}`, MOD))).toBe("There is no such submission.");
    expect(await h.app.services.moderation.approve(hidden.id, MOD.id, { type: "health" })).toEqual({ type: "not_found" });
    // The delay passes (as the clock would).
    await h.app.db.updateTable("submissions").set({ shown_at: new Date().toISOString() }).where("id", "=", hidden.id).execute();
    const queue = await h.send("/queue", ADMIN);
    const entry = buttons(lastReply(queue)).find((b) => b.text.includes("A source close"));
    const opened = await h.press(String(entry?.callback_data), ADMIN);
    const review = texts(opened).find((t) => /anonymous #\d+/.test(t)) ?? "";
    expect(review).toMatch(/anonymous #\d+/);
    expect(review).not.toContain(String(AUTHOR.id));
    const id = Number(/anonymous #(\d+)/.exec(review)![1]);
    await h.press(`ap:${id}`, MOD);
    await h.press(`ty:${id}:health`, MOD);
    expect(to(await deliver(), AUTHOR.id)).toHaveLength(1);
    expect(h.problems).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliveryCounts } from "../../src/store/deliveries.js";
import { type ApiCall, buttons, createHarness, type Harness, lastReply, texts } from "../helpers/bot-harness.js";

const ADMIN = { id: 1, language_code: "en", first_name: "Admin" };
const READER = { id: 501, language_code: "en", first_name: "Reader" };
const AUTHOR = { id: 502, language_code: "ru", first_name: "Автор" };
const STRANGER = { id: 666, language_code: "en", first_name: "Mallory" };

/**
 * Following a case, a submission from the author to publication, moderators' roles and /forget. Each
 * test builds its own bot on a fresh database and makes the subscriptions and submissions it needs.
 */

let h: Harness;
beforeEach(async () => {
  h = await createHarness({
    adminIds: [ADMIN.id],
    strict: true,
  });
});
afterEach(() => h.close());

const to = (calls: ApiCall[], chatId: number) => calls.filter((c) => c.method === "sendMessage" && Number(c.payload["chat_id"]) === chatId);
const answerText = (calls: ApiCall[]) => String(calls.find((c) => c.method === "answerCallbackQuery")?.payload["text"] ?? "");
const countEvents = async () =>
  Number((await h.app.db.selectFrom("case_events").select((eb) => eb.fn.countAll().as("n")).where("origin", "=", "update").executeTakeFirstOrThrow()).n);

const NEWS = "Суд <script>alert(1)</script> & продлил срок содержания под стражей";

/** Walks the submission conversation for an author up to the preview; returns the calls of that step. */
async function toPreview(author: typeof AUTHOR, text: string, source: string | null): Promise<ApiCall[]> {
  await h.send("/submit Bokayev", author);
  await h.send(text, author);
  if (source) await h.send(source, author);
  else await h.press("sb:skip", author);
  return h.press("sb:id", author);
}

/** Walks the submission conversation for an author and sends it; returns the calls of the last step. */
async function submitNews(author: typeof AUTHOR, text: string, source: string | null): Promise<ApiCall[]> {
  await toPreview(author, text, source);
  return h.press("sb:send", author);
}

async function latestSubmissionId(): Promise<number> {
  const row = await h.app.db.selectFrom("submissions").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
  return row.id;
}

/** A submission from AUTHOR, waiting for a moderator; returns its id. */
async function pendingSubmission(text = NEWS): Promise<number> {
  await submitNews(AUTHOR, text, null);
  return latestSubmissionId();
}

/** A submission from AUTHOR approved by ADMIN as other news; returns its id. */
async function approvedSubmission(text = NEWS): Promise<number> {
  const id = await pendingSubmission(text);
  await h.press(`ap:${id}`, ADMIN);
  expect(answerText(await h.press(`ty:${id}:other`, ADMIN))).toBe("Approved and published.");
  return id;
}

/** A submission from AUTHOR rejected by ADMIN; returns its id. */
async function rejectedSubmission(text: string): Promise<number> {
  const id = await pendingSubmission(text);
  await h.press(`rj:${id}`, ADMIN);
  await h.send("Not confirmed by any source", ADMIN);
  return id;
}

describe("subscriptions", () => {
  it("Subscribe turns into Unsubscribe on the card, and /subscriptions lists the case", async () => {
    const calls = await h.press("s:maks-bokayev", READER);
    expect(answerText(calls)).toContain("You now follow Maks Bokayev");
    expect(buttons(lastReply(calls)).map((b) => b.text)).toContain("Unsubscribe");
    await h.press("s:maks-bokayev", READER); // twice is still one subscription
    const list = await h.send("/subscriptions", READER);
    expect(buttons(lastReply(list)).map((b) => b.text)).toEqual(["⚙ Maks Bokayev: status changes only", "Unsubscribe: Maks Bokayev"]);
    expect(texts(list).at(-1)).toContain("Maks Bokayev</b> — all updates");
    const card = await h.send("/case Bokayev", READER);
    expect(buttons(lastReply(card)).map((b) => b.text)).toContain("Unsubscribe");
  });
});

describe("a submission from start to publication", () => {
  it("asks for text, source and confirmation, with second chances on bad input", async () => {
    expect(texts(await h.send("/submit Bokayev", AUTHOR)).at(-1)).toMatch(/Макс Бокаев/);
    const short = await h.send("коротко", AUTHOR);
    expect(texts(short).at(-1)).toMatch(/7/);
    const long = await h.send("x".repeat(2001), AUTHOR);
    expect(texts(long).at(-1)).toMatch(/2001/);
    const ok = await h.send("Суд <script>alert(1)</script> & продлил срок содержания под стражей", AUTHOR);
    expect(buttons(lastReply(ok)).map((b) => b.callback_data)).toEqual(["sb:skip"]);
    const badUrl = await h.send("not a link", AUTHOR);
    expect(texts(badUrl)).toHaveLength(1);
    const anonymity = await h.send("https://example.org/news?id=1&x=<2>", AUTHOR);
    expect(buttons(lastReply(anonymity)).map((b) => b.callback_data)).toEqual(["sb:id", "sb:anon"]);
    const preview = await h.press("sb:id", AUTHOR);
    const text = texts(preview).at(-1)!;
    expect(text).toContain("&lt;script&gt;");
    expect(text).not.toContain("<script>");
    expect(buttons(lastReply(preview)).map((b) => b.callback_data)).toEqual(["sb:send", "sb:cancel"]);
    expect(h.problems).toEqual([]);
  });

  it("Send stores it and shows it to every moderator with Approve and Reject", async () => {
    await toPreview(AUTHOR, NEWS, "https://example.org/news?id=1&x=<2>");
    const calls = await h.press("sb:send", AUTHOR);
    expect(texts(to(calls, AUTHOR.id)).join("\n")).toMatch(/модератор/i);
    // Moderators' copies go through the outbox, written with the submission.
    const staff = to(await h.deliver(), ADMIN.id);
    expect(staff).toHaveLength(1);
    expect(String(staff[0]!.payload["text"])).toContain("&lt;script&gt;");
    expect(String(staff[0]!.payload["text"])).toContain(`<code>${AUTHOR.id}</code>`);
    expect(buttons(staff[0]).map((b) => b.text)).toEqual(["Approve", "Reject"]);
    expect(await countEvents()).toBe(0);
  });

  it("a forged approval from a non-moderator changes nothing and is told so", async () => {
    const id = await pendingSubmission();
    const calls = await h.press(`ap:${id}`, STRANGER);
    expect(answerText(calls)).toBe("Only moderators can do this.");
    expect(answerText(await h.press(`ty:${id}:other`, STRANGER))).toBe("Only moderators can do this.");
    expect(answerText(await h.press(`tys:${id}:release:1`, STRANGER))).toBe("Only moderators can do this.");
    expect(await countEvents()).toBe(0);
    const queue = await h.send("/queue", STRANGER);
    expect(texts(queue).at(-1)).toContain("Only moderators");
    // The submission still waits for a real moderator.
    expect(answerText(await h.press(`ap:${id}`, ADMIN))).not.toContain("Only moderators");
  });

  it("approval publishes once, tells the author, and queues one notice per follower", async () => {
    await h.press("s:maks-bokayev", READER);
    const id = await pendingSubmission();
    const picker = await h.press(`ap:${id}`, ADMIN);
    expect(buttons(lastReply(picker)).map((b) => b.text)).toContain("Verdict");
    expect(await countEvents()).toBe(0);
    const calls = await h.press(`ty:${id}:other`, ADMIN);
    expect(answerText(calls)).toBe("Approved and published.");
    expect(await countEvents()).toBe(1);
    const again = await h.press(`ty:${id}:verdict`, ADMIN);
    expect(answerText(again)).toContain("Already decided by 1");
    expect(answerText(await h.press(`ap:${id}`, ADMIN))).toContain("Already decided by 1");
    expect(await countEvents()).toBe(1);
    const { event_id: eventId } = await h.app.db.selectFrom("submissions").select("event_id").where("id", "=", id).executeTakeFirstOrThrow();
    expect(await deliveryCounts(h.app.db, eventId ?? -1)).toEqual({ pending: 1 });
    const card = texts(await h.send("/case Bokayev", READER)).at(-1)!;
    expect(card).toContain("Latest updates");
    expect(card).toContain("продлил срок");
    expect(card).toContain("original in Russian");
  });

  it("the worker delivers the notice in the follower's language with a button to the card", async () => {
    await h.press("s:maks-bokayev", READER);
    await approvedSubmission();
    const before = h.calls.length;
    await h.deliver();
    // The author is told through the outbox too, in the language they wrote to the bot in.
    expect(texts(to(h.calls.slice(before), AUTHOR.id)).at(-1)).toMatch(/опубликован/i);
    const notice = to(h.calls.slice(before), READER.id);
    expect(notice).toHaveLength(1);
    expect(String(notice[0]!.payload["text"])).toContain("<b>Other news</b> · Maks Bokayev");
    expect(buttons(notice[0]).map((b) => b.callback_data)).toEqual(["c:maks-bokayev"]);
  });
});

describe("rejection, limits, cancel", () => {
  it("Reject asks for a reason and tells the author", async () => {
    const id = await pendingSubmission("Ещё одна новость о деле");
    const ask = await h.press(`rj:${id}`, ADMIN);
    expect(texts(ask).at(-1)).toContain(`submission #${id}`);
    await h.send("Not confirmed by any source", ADMIN);
    expect(texts(to(await h.deliver(), AUTHOR.id)).at(-1)).toMatch(/Not confirmed by any source/);
    expect(await countEvents()).toBe(0);
    expect(answerText(await h.press(`ap:${id}`, ADMIN))).toContain("rejected");
  });

  it("/cancel ends the conversation at any step", async () => {
    await h.send("/submit Bokayev", READER);
    expect(texts(await h.send("/cancel", READER)).at(-1)).toBe("Cancelled.");
    expect(texts(await h.send("Bokayev", READER)).at(-1)).toContain("<b>Maks Bokayev</b>");
    expect(texts(await h.send("/cancel", READER)).at(-1)).toBe("There is nothing to cancel.");
  });

  it("asks whom the news is about, with a choice for a shared surname", async () => {
    expect(texts(await h.send("/submit", READER)).at(-1)).toContain("Which person");
    const choice = await h.send("Khrapunov", READER);
    expect(buttons(lastReply(choice))).toHaveLength(3);
    expect(texts(await h.press("sbp:leila-khrapunova", READER)).at(-1)).toContain("Leila Khrapunova");
    await h.send("/cancel", READER);
  });

  it("allows at most 5 pending submissions per person", async () => {
    const author = { id: 503, language_code: "en", first_name: "Eager" };
    for (let i = 0; i < 5; i++) await submitNews(author, `News number ${i} about the case`, null);
    expect(texts(await h.send("/submit Bokayev", author)).at(-1)).toContain("5 pieces of news waiting");
  });
});

describe("roles and audit", () => {
  it("only admins promote; a promoted moderator can work the queue; /audit shows decisions", async () => {
    const approved = await approvedSubmission();
    const rejected = await rejectedSubmission("Новость, которую отклонят");
    const waiting = await pendingSubmission("Новость, которая ждёт модератора");
    expect(texts(await h.send("/promote 777", STRANGER)).at(-1)).toBe("Only admins can do this.");
    const promoted = await h.send("/promote 777", ADMIN);
    expect(texts(promoted).at(-1)).toContain("777 is now a moderator");
    const menu = promoted.find((c) => c.method === "setMyCommands");
    expect(menu?.payload["scope"]).toEqual({ type: "chat", chat_id: 777 });
    expect((menu?.payload["commands"] as Array<{ command: string }>).map((c) => c.command)).toContain("queue");
    const queue = await h.send("/queue", { id: 777, language_code: "en", first_name: "Mod" });
    // Only what still waits is in the queue.
    expect(buttons(lastReply(queue)).map((b) => b.callback_data)).toEqual([`q:${waiting}`]);
    const demoted = await h.send("/demote 777", ADMIN);
    expect(texts(demoted).at(-1)).toContain("777 is now a reader");
    expect(demoted.find((c) => c.method === "deleteMyCommands")?.payload["scope"]).toEqual({ type: "chat", chat_id: 777 });
    expect(texts(await h.send("/queue", { id: 777, language_code: "en", first_name: "Mod" })).at(-1)).toContain("Only moderators");
    const audit = texts(await h.send("/audit", ADMIN)).at(-1)!;
    expect(audit).toContain(`approve submission:${approved}`);
    expect(audit).toContain(`reject submission:${rejected}`);
    expect(audit).toContain("promote user:777");
    expect(texts(await h.send("/audit", READER)).at(-1)).toBe("Only admins can do this.");
  });

  it("/translate adds a translation that readers of that language see", async () => {
    await approvedSubmission();
    const ev = await h.app.db.selectFrom("case_events").select("id").where("origin", "=", "update").executeTakeFirstOrThrow();
    expect(texts(await h.send(`/translate ${ev.id} en The court extended pre-trial detention`, ADMIN)).at(-1)).toContain("saved");
    const card = texts(await h.send("/case Bokayev", READER)).at(-1)!;
    expect(card).toContain("The court extended pre-trial detention");
    expect(texts(await h.send(`/translate ${ev.id} ru Суд продлил`, ADMIN)).at(-1)).toContain("written in");
  });
});

describe("/forget", () => {
  it("deletes the subscriptions after confirmation", async () => {
    await h.press("s:maks-bokayev", READER);
    expect(texts(await h.send("/subscriptions", READER)).at(-1)).toContain("Maks Bokayev");
    const ask = await h.send("/forget", READER);
    expect(buttons(lastReply(ask)).map((b) => b.callback_data)).toEqual(["fg:yes", "fg:no"]);
    await h.press("fg:yes", READER);
    expect(texts(await h.send("/subscriptions", READER)).at(-1)).toContain("You follow no cases yet");
    const row = await h.app.db.selectFrom("users").selectAll().where("telegram_id", "=", READER.id).executeTakeFirst();
    expect(row).toBeUndefined();
    expect(h.problems).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { type ApiCall, buttons, createHarness, type Harness, texts } from "../helpers/bot-harness.js";

/**
 * Issue 8, "Moderators' rules hold on every path": a change of status from or to released or deceased
 * needs a second moderator whichever way it is made; nobody approves their own submission; a status
 * set by an approval is a revision (in /history, revertible). Each test builds its own bot.
 */

const ADMIN = { id: 1, language_code: "en", first_name: "Admin" };
const MOD = { id: 2, language_code: "en", first_name: "Mod" };
const MOD2 = { id: 3, language_code: "en", first_name: "Mod two" };
const AUTHOR = { id: 603, language_code: "en", first_name: "Author" };
const SLUG = "maks-bokayev";

let h: Harness;
afterEach(async () => {
  expect(h.problems).toEqual([]);
  await h.close();
});

async function start(): Promise<Harness> {
  h = await createHarness({ adminIds: [ADMIN.id], strict: true });
  await h.send(`/promote ${MOD.id}`, ADMIN);
  await h.send(`/promote ${MOD2.id}`, ADMIN);
  return h;
}

const answerText = (calls: ApiCall[]) => String(calls.find((c) => c.method === "answerCallbackQuery")?.payload["text"] ?? "");

async function status(): Promise<string> {
  const row = await h.app.db.selectFrom("cases").select("status").where("slug", "=", SLUG).executeTakeFirstOrThrow();
  return row.status;
}

/** The case released by two moderators, through the services. */
async function released(): Promise<void> {
  const edit = await h.app.services.caseAdmin.editField(MOD.id, SLUG, "status", "released", "https://example.org/released");
  if (edit.type !== "pending") throw new Error(edit.type);
  expect((await h.app.services.caseAdmin.confirm(edit.revision.id, ADMIN.id)).type).toBe("applied");
  expect(await status()).toBe("released");
}

async function submit(from: typeof AUTHOR, text: string): Promise<number> {
  await h.send("/submit Bokayev", from);
  await h.send(text, from);
  await h.press("sb:skip", from);
  await h.press("sb:id", from);
  await h.press("sb:send", from);
  const row = await h.app.db.selectFrom("submissions").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
  return row.id;
}

async function approveAsDetention(id: number, by: typeof MOD): Promise<ApiCall[]> {
  await h.press(`ap:${id}`, by);
  await h.press(`ty:${id}:detention`, by);
  return h.press(`tys:${id}:detention:1`, by);
}

describe("the second-moderator rule on every path", () => {
  it("an approval that moves a case away from released waits for a second moderator", async () => {
    await start();
    await released();
    const id = await submit(AUTHOR, "He was detained again this morning, his lawyer says.");
    const first = await approveAsDetention(id, MOD);
    expect(answerText(first)).toContain("second moderator");
    expect(await status()).toBe("released");
    const waiting = await h.app.db.selectFrom("case_revisions").selectAll().where("submission_id", "=", id).executeTakeFirstOrThrow();
    expect(waiting).toMatchObject({ state: "pending", old_value: "released", new_value: "pretrial_detention" });
    expect(answerText(await h.press(`rv:${waiting.id}`, MOD))).toContain("you approved it yourself");
    expect(await status()).toBe("released");
    expect(answerText(await h.press(`rv:${waiting.id}`, MOD2))).toBe("Approved and published.");
    expect(await status()).toBe("pretrial_detention");
  });

  it("/editcase away from released waits for a second moderator", async () => {
    await start();
    await released();
    await h.send("/editcase Bokayev", MOD);
    await h.press("ae:f:status", MOD);
    await h.press("ae:v:imprisoned", MOD);
    await h.send("https://example.org/court", MOD);
    expect(await status()).toBe("released");
    const pending = await h.app.db.selectFrom("case_revisions").selectAll().where("state", "=", "pending").execute();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ old_value: "released", new_value: "imprisoned", actor_id: MOD.id });
  });

  it("a revert of a release waits for a second moderator", async () => {
    await start();
    await released();
    const applied = await h.app.db.selectFrom("case_revisions").select("id").where("state", "=", "applied").executeTakeFirstOrThrow();
    await h.send(`/revert ${applied.id}`, ADMIN);
    expect(await status()).toBe("released");
    const revert = await h.app.db.selectFrom("case_revisions").selectAll().where("reverts", "=", applied.id).executeTakeFirstOrThrow();
    expect(revert.state).toBe("pending");
    expect(answerText(await h.press(`rv:${revert.id}`, ADMIN))).toContain("you proposed it yourself");
    await h.press(`rv:${revert.id}`, MOD2);
    expect(await status()).not.toBe("released");
  });
});

describe("own submissions", () => {
  it("a moderator cannot approve news he sent himself; another moderator can", async () => {
    await start();
    const id = await submit(MOD, "The appeal court heard the case and reserved its decision.");
    await h.press(`ap:${id}`, MOD);
    const own = await h.press(`ty:${id}:verdict`, MOD);
    expect(answerText(own)).toContain("You sent this news yourself");
    expect((await h.app.services.moderation.get(id))?.status).toBe("pending");
    await h.press(`ap:${id}`, MOD2);
    expect(answerText(await h.press(`ty:${id}:verdict`, MOD2))).toBe("Approved and published.");
  });

  it("the author of news cannot be the second moderator of its change of status", async () => {
    await start();
    const id = await submit(MOD2, "He was released from custody this morning, the court says.");
    await h.press(`ap:${id}`, MOD);
    await h.press(`ty:${id}:release`, MOD);
    await h.press(`tys:${id}:release:1`, MOD);
    const waiting = await h.app.db.selectFrom("case_revisions").selectAll().where("submission_id", "=", id).executeTakeFirstOrThrow();
    expect(answerText(await h.press(`rv:${waiting.id}`, MOD2))).toContain("You sent this news yourself");
    expect(await status()).not.toBe("released");
    expect(answerText(await h.press(`rv:${waiting.id}`, ADMIN))).toBe("Approved and published.");
    expect(await status()).toBe("released");
  });
});

describe("a status set by an approval is a revision", () => {
  it("shows in /history and is undone by a confirmed /revert", async () => {
    await start();
    const id = await submit(AUTHOR, "He was detained again this morning, his lawyer says.");
    expect(answerText(await approveAsDetention(id, MOD))).toBe("Approved and published.");
    expect(await status()).toBe("pretrial_detention");
    const revision = await h.app.db.selectFrom("case_revisions").selectAll().where("submission_id", "=", id).executeTakeFirstOrThrow();
    expect(revision).toMatchObject({ field: "status", state: "applied", old_value: "imprisoned", new_value: "pretrial_detention", actor_id: MOD.id });
    const history = texts(await h.send("/history Bokayev", MOD)).join("\n");
    expect(history).toContain(`#${revision.id}`);
    expect(history).toContain("In prison → In pre-trial detention");
    const proposed = await h.send(`/revert ${revision.id}`, ADMIN);
    expect(texts(proposed).join("\n")).toContain("second moderator");
    const revert = await h.app.db.selectFrom("case_revisions").selectAll().where("reverts", "=", revision.id).executeTakeFirstOrThrow();
    const staffMessage = (await h.deliver()).filter((c) => c.method === "sendMessage" && Number(c.payload["chat_id"]) === MOD2.id).at(-1);
    expect(buttons(staffMessage).map((b) => b.callback_data)).toEqual([`rv:${revert.id}`, `rvx:${revert.id}`]);
    await h.press(`rv:${revert.id}`, MOD2);
    expect(await status()).toBe("imprisoned");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { ANONYMOUS_NOTICE_DELAY_MS } from "../../src/services/messages.js";
import { privacySweep } from "../../src/services/privacy-sweep.js";
import { type ApiCall, createHarness, type Harness } from "../helpers/bot-harness.js";

const MOD1 = 7_700_001;
const MOD2 = 7_700_002;
const AUTHOR = 987_654_321_012;
const SLUG = "maks-bokayev";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function submit(harness: Harness, text: string, anonymous = true): Promise<number> {
  const r = await harness.app.services.moderation.submit({ caseSlug: SLUG, authorId: AUTHOR, authorLang: "ru", text, sourceUrl: null, anonymous });
  if (!r.ok) throw new Error(`submit refused: ${r.reason}`);
  // Moderators see an anonymous submission only after a random delay: it passes, as the clock would.
  await harness.app.db.updateTable("submissions").set({ shown_at: new Date().toISOString() }).where("id", "=", r.id).execute();
  return r.id;
}

/** Every place the database could still hold the author's id. */
async function traces(harness: Harness): Promise<string[]> {
  const db = harness.app.db;
  const found: string[] = [];
  for (const r of await db.selectFrom("submissions").select(["id", "author_id", "decided_by"]).execute()) {
    if (r.author_id === AUTHOR) found.push(`submissions#${r.id}.author_id`);
  }
  for (const r of await db.selectFrom("deliveries").select(["id", "user_id"]).execute()) if (r.user_id === AUTHOR) found.push(`deliveries#${r.id}`);
  for (const r of await db.selectFrom("conversation_state").select(["key", "value"]).execute()) {
    if (r.key.includes(String(AUTHOR)) || r.value.includes(String(AUTHOR))) found.push(`conversation_state ${r.key}`);
  }
  return found;
}

describe("the link between a submission and its author", () => {
  it("is erased once the author has been told a rejection (anonymous author not identifiable afterwards)", async () => {
    h = await createHarness({ adminIds: [MOD1, MOD2] });
    const id = await submit(h, "A hearing in his appeal was set for next week in Atyrau.");
    const r = await h.app.services.moderation.reject(id, MOD1, "no source");
    if (r.type !== "rejected") throw new Error(r.type);
    // The author is told through the outbox.
    expect((await h.deliver()).some((c) => c.method === "sendMessage" && c.payload["chat_id"] === AUTHOR)).toBe(true);
    expect(await traces(h)).toEqual([]);
    // Nor does the author's user row carry the second of the submission.
    const user = await h.app.db.selectFrom("users").select("created_at").where("telegram_id", "=", AUTHOR).executeTakeFirst();
    expect(user?.created_at ?? "").not.toMatch(/T\d\d:/);
  });

  it("is erased once the author has been told an approval", async () => {
    h = await createHarness({ adminIds: [MOD1, MOD2] });
    const id = await submit(h, "He was transferred to another colony, his lawyer said.");
    const r = await h.app.services.moderation.approve(id, MOD1, { type: "transfer" });
    if (r.type !== "approved") throw new Error(r.type);
    await h.deliver();
    expect(await traces(h)).toEqual([]);
  });

  it("a decision whose author was never told (a crash in between) is erased by the hourly sweep", async () => {
    h = await createHarness({ adminIds: [MOD1, MOD2] });
    const id = await submit(h, "His lawyer says the appeal hearing was postponed again.");
    await h.app.services.moderation.reject(id, MOD1, null);
    // The link, and the outbox row that is to tell the author, until the author is told.
    expect(await traces(h)).toEqual([`submissions#${id}.author_id`, expect.stringMatching(/^deliveries#\d+$/)]);
    await privacySweep(h.app.db, new Date(Date.now() + 30 * 60_000));
    expect(await traces(h)).toHaveLength(2);
    await privacySweep(h.app.db, new Date(Date.now() + 2 * 60 * 60_000));
    expect(await traces(h)).toEqual([]);
  });
});

describe("/forget for someone who sent news", () => {
  it("deletes pending, awaiting-confirmation and rejected submissions and drafts in any chat; the awaiting one is never published", async () => {
    h = await createHarness({ adminIds: [MOD1, MOD2] });
    const { moderation, caseAdmin } = h.app.services;
    const pending = await submit(h, "PENDING: news about a new hearing date in court.");
    const awaiting = await submit(h, "AWAITING: he was released from prison this morning.");
    const rejected = await submit(h, "REJECTED: rumours of a transfer to another colony.");
    const published = await submit(h, "PUBLISHED: the court heard his appeal today in Atyrau.");
    const held = await moderation.approve(awaiting, MOD1, { type: "release", newStatus: "released" });
    if (held.type !== "awaiting") throw new Error(held.type);
    await moderation.reject(rejected, MOD1, null);
    await moderation.approve(published, MOD1, { type: "hearing" });
    // A draft the author left in a group chat.
    await h.app.db
      .insertInto("conversation_state")
      .values({ key: "conv:-100777", value: JSON.stringify({ version: [0, 2], state: { submit: [{ update: { message: { from: { id: AUTHOR, is_bot: false } } } }] } }), updated_at: new Date().toISOString() })
      .execute();
    // And one kept under the group and the author's id (how a group's conversations are kept per person).
    await h.app.db
      .insertInto("conversation_state")
      .values({ key: `conv:-100888:${AUTHOR}`, value: JSON.stringify({ version: [0, 2], state: {} }), updated_at: new Date().toISOString() })
      .execute();
    const statusBefore = (await h.app.services.cases.get(SLUG))?.status;

    await h.send("/forget", { id: AUTHOR });
    await h.press("fg:yes", { id: AUTHOR });

    const left = await h.app.db.selectFrom("submissions").select(["id", "author_id", "text"]).execute();
    expect(left.map((s) => s.id)).toEqual([published]);
    expect(left[0]?.author_id).toBeNull();
    expect(await traces(h)).toEqual([]);

    // The second moderator's Confirm finds nothing to publish.
    const confirm = await caseAdmin.confirm(held.revision.id, MOD2);
    expect(confirm.type).not.toBe("applied");
    h.app.services.cases.invalidate(SLUG);
    const card = await h.app.services.cases.get(SLUG);
    expect(card?.status).toBe(statusBefore);
    const events = await h.app.db.selectFrom("case_events").select(["text_en", "text_ru", "text_kk"]).where("case_slug", "=", SLUG).execute();
    expect(JSON.stringify(events)).not.toContain("AWAITING");
    expect(JSON.stringify(events)).toContain("PUBLISHED");
    expect(pending).toBeGreaterThan(0);
  });
});

describe("what moderators see of an anonymous author", () => {
  const toStaff = (calls: ApiCall[]) => calls.filter((c) => c.method === "sendMessage" && (c.payload["chat_id"] === MOD1 || c.payload["chat_id"] === MOD2));
  const due = async (harness: Harness, id: number) =>
    (await harness.app.db.selectFrom("deliveries").select("next_attempt_at").where("submission_id", "=", id).where("kind", "=", "staff_submission").execute()).map((r) => Number(r.next_attempt_at));

  it("no id, and not the moment the author pressed Send: the notice comes after a random delay (a named one at once)", async () => {
    h = await createHarness({ adminIds: [MOD1, MOD2] });
    const t0 = Date.now();
    const named = await submit(h, "NAMED: his appeal was heard today in Atyrau.", false);
    const anonymous = await submit(h, "ANONYMOUS: his appeal was heard today in Atyrau.", true);
    const decidedMeanwhile = await submit(h, "DECIDED: another hearing is set for next week.", true);
    for (const at of await due(h, named)) expect(at).toBeLessThanOrEqual(Date.now());
    for (const id of [anonymous, decidedMeanwhile]) {
      const times = await due(h, id);
      expect(times).toHaveLength(2);
      for (const at of times) {
        expect(at).toBeGreaterThanOrEqual(t0 + ANONYMOUS_NOTICE_DELAY_MS.min);
        expect(at).toBeLessThanOrEqual(Date.now() + ANONYMOUS_NOTICE_DELAY_MS.max);
      }
    }
    expect(toStaff(await h.deliver()).map((c) => String(c.payload["text"])).every((t) => t.includes("NAMED"))).toBe(true);
    await h.app.services.moderation.reject(decidedMeanwhile, MOD1, null);
    // The delay passes (as the clock would): the anonymous one is told, the one decided meanwhile is not.
    await h.app.db.updateTable("deliveries").set({ next_attempt_at: Date.now() }).where("kind", "=", "staff_submission").where("status", "=", "pending").execute();
    const sent = toStaff(await h.deliver());
    expect(sent).toHaveLength(2);
    for (const c of sent) {
      const text = String(c.payload["text"]);
      expect(text).toContain("ANONYMOUS");
      expect(text).not.toContain(String(AUTHOR));
      expect(text).not.toContain("DECIDED");
    }
  });
});

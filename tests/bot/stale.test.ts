/** /stale: cases by when their status was last confirmed, a status change from there, and "still true". */
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDate } from "../../src/wording/dates.js";
import { createI18n, type Translate } from "../../src/i18n.js";
import { type ApiCall, buttons, createHarness, type Harness, lastReply, texts } from "../helpers/bot-harness.js";

const ADMIN = { id: 1, language_code: "en", first_name: "Admin" };
const MOD = { id: 2, language_code: "en", first_name: "Moderator" };
const READER = { id: 501, language_code: "en", first_name: "Reader" };

let h: Harness;
let t: Translate;
beforeAll(async () => {
  h = await createHarness({ adminIds: [ADMIN.id], strict: true });
  t = (await createI18n()).t("en");
  await h.send(`/promote ${MOD.id}`, ADMIN);
});
afterAll(() => h.close());

const lastText = (calls: ApiCall[]) => texts(calls).at(-1) ?? "";
const answerText = (calls: ApiCall[]) => String(calls.find((c) => c.method === "answerCallbackQuery")?.payload["text"] ?? "");
const today = () => formatDate(t, new Date().toISOString().slice(0, 10));

async function staleOrder(): Promise<string[]> {
  const page = await h.app.services.caseAdmin.staleCases(MOD.id, 0, 100);
  if (page === "forbidden") throw new Error("forbidden");
  return page.items.map((i) => i.slug);
}

describe("/stale", () => {
  it("is refused to readers (command and forged buttons) and in groups, and writes nothing", async () => {
    const before = await h.app.db.selectFrom("case_revisions").select("id").execute();
    expect(lastText(await h.send("/stale", READER))).toBe(t("moderation.forbidden"));
    for (const data of ["st:ok:maks-bokayev", "st:p:1", "ce:maks-bokayev:status"]) {
      const calls = await h.press(data, READER);
      expect(answerText(calls), data).toBe(t("moderation.forbidden"));
      expect(texts(calls)).toEqual([]);
    }
    const group = await (async () => {
      const start = h.calls.length;
      await h.app.bot.handleUpdate({
        update_id: 900_001,
        message: {
          message_id: 5,
          date: Math.floor(Date.now() / 1000),
          chat: { id: -100_500, type: "group", title: "A group" },
          from: { ...MOD, is_bot: false },
          text: "/stale",
          entities: [{ type: "bot_command", offset: 0, length: 6 }],
        },
      } as Update);
      return h.calls.slice(start);
    })();
    expect(lastText(group)).toBe(t("private_chat.only"));
    expect(await h.app.db.selectFrom("case_revisions").select("id").execute()).toEqual(before);
  });

  it("lists the oldest-confirmed first, with a button to change the status and one to confirm it", async () => {
    // A bot of its own: the other tests confirm and change statuses.
    const h = await createHarness({ adminIds: [ADMIN.id], strict: true });
    await h.send(`/promote ${MOD.id}`, ADMIN);
    const calls = await h.send("/stale", MOD);
    const text = lastText(calls);
    expect(text).toContain("oldest first: 1–8 of 37");
    // Every status is the report's: ties by name.
    expect(text).toContain("1. <b>Alima Abdirova</b> — Suspended sentence <i>(report of December 2017; may have changed since)</i>");
    expect(text).toContain("2. <b>Almat Zhumagulov</b>");
    const row = buttons(lastReply(calls)).slice(0, 2);
    expect(row).toEqual([
      { text: "✏️ Change status: Alima Abdirova", callback_data: "ce:alima-abdirova:status" },
      { text: "✔ Still true: Alima Abdirova", callback_data: "st:ok:alima-abdirova" },
    ]);
    expect(buttons(lastReply(calls)).at(-1)).toEqual({ text: "Next ›", callback_data: "st:p:1" });
    const next = await h.press("st:p:1", MOD);
    expect(lastText(next)).toContain("9–16 of 37");
    expect(h.problems).toEqual([]);
    await h.close();
  });

  it("“still true” asks for a source link, records a revision /history shows, and moves the case to the end", async () => {
    const asked = await h.press("st:ok:alima-abdirova", MOD);
    expect(lastText(asked)).toContain("Is «Suspended sentence» still true for <b>Alima Abdirova</b>?");
    expect(lastText(await h.send("checked by phone", MOD))).toBe(t("stale.bad_url"));
    const done = lastText(await h.send("https://example.org/abdirova", MOD));
    expect(done).toMatch(new RegExp(`^Recorded as change #\\d+: «Suspended sentence» is still true for Alima Abdirova as of ${today()}\\.`));

    const order = await staleOrder();
    expect(order[0]).toBe("almat-zhumagulov");
    expect(order.at(-1)).toBe("alima-abdirova");

    const card = lastText(await h.send("/case Alima Abdirova", READER));
    expect(card).toContain(`Suspended sentence — <i>still true as of ${today()}</i> (<a href="https://example.org/abdirova">source</a>)`);
    expect(card).not.toContain("This is what a report of December 2017 said");
    const list = lastText(await h.press("l:suspended_sentence:0", READER));
    expect(list).toContain(`<b>Alima Abdirova</b> — Suspended sentence <i>(still true as of ${today()})</i>`);

    const history = lastText(await h.send("/history Alima Abdirova", MOD));
    expect(history).toContain("Status confirmed still true: Suspended sentence → Suspended sentence");
    expect(history).toContain("https://example.org/abdirova");
    const revision = await h.app.db.selectFrom("case_revisions").select(["id", "field"]).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(revision.field).toBe("status_review");
    // Nothing to undo: a review is not reverted.
    const revert = await h.app.services.caseAdmin.revert(ADMIN.id, revision.id, "no");
    expect(revert.type).toBe("not_applied");
    expect(h.problems).toEqual([]);
  });

  it("“change status” opens the status step with a source; the change also moves the case to the end", async () => {
    const step = await h.press("ce:aron-atabek:status", MOD);
    expect(lastText(step)).toContain("<b>Aron Atabek</b> — Status");
    await h.press("ae:v:detained", MOD);
    const saved = lastText(await h.send("https://example.org/atabek", MOD));
    expect(saved).toContain("Status: In prison → Held in a detention facility");
    const order = await staleOrder();
    expect(order.at(-1)).toBe("aron-atabek");
    const card = lastText(await h.send("/case Aron Atabek", READER));
    expect(card).toContain(`Held in a detention facility — <i>since ${today()}</i> (<a href="https://example.org/atabek">source</a>)`);
  });

  it("a status changed while the moderator was finding the source is not confirmed", async () => {
    await h.press("st:ok:maks-bokayev", MOD);
    const changed = await h.app.services.caseAdmin.editField(ADMIN.id, "maks-bokayev", "status", "detained", "https://example.org/bokayev");
    expect(changed.type).toBe("applied");
    const reply = lastText(await h.send("https://example.org/still-in-prison", MOD));
    expect(reply).toBe("The status of Maks Bokayev was changed meanwhile (now «Held in a detention facility»): nothing was recorded. Open /stale again.");
    const row = await h.app.db.selectFrom("cases").select(["status_reviewed_at"]).where("slug", "=", "maks-bokayev").executeTakeFirstOrThrow();
    expect(row.status_reviewed_at).toBeNull();
  });
});

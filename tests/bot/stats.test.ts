import { mkdirSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ARTIFACTS, artifact } from "../helpers/browser.js";
import type { Update } from "grammy/types";
import { type ApiCall, createHarness, type Harness, texts } from "../helpers/bot-harness.js";

let h: Harness;
afterEach(() => h.close());

const ADMIN = 900;

/** What the database holds, counted here independently of the statistics code. */
async function truth(h: Harness): Promise<{ people: number; updates: number }> {
  const db = h.app.db;
  const people = await db.selectFrom("cases").select((eb) => eb.fn.countAll<number>().as("n")).where("visible", "=", 1).executeTakeFirstOrThrow();
  const updates = await db.selectFrom("case_events").select((eb) => eb.fn.countAll<number>().as("n")).where("origin", "=", "update").executeTakeFirstOrThrow();
  return { people: Number(people.n), updates: Number(updates.n) };
}

function photo(calls: ApiCall[]): ApiCall {
  const sent = calls.filter((c) => c.method === "sendPhoto");
  expect(sent, calls.map((c) => c.method).join(", ")).toHaveLength(1);
  return sent[0]!;
}

function upload(call: ApiCall): Buffer | undefined {
  return Object.values(call.files ?? {})[0];
}

async function approveOne(h: Harness, text: string): Promise<void> {
  const { moderation } = h.app.services;
  const sub = await moderation.submit({ caseSlug: "maks-bokayev", authorId: 777, authorLang: "en", text, sourceUrl: null });
  if (!sub.ok) throw new Error(`submit failed: ${sub.reason}`);
  const decided = await moderation.approve(sub.id, ADMIN);
  expect(decided.type).toBe("approved");
}

describe("/stats in the bot", () => {
  it("sends the charts as a PNG with a one-line summary whose numbers match the database", async () => {
    h = await createHarness({ strict: true, adminIds: [ADMIN] });
    await approveOne(h, "The appeal hearing was postponed to January.");
    const db = await truth(h);
    expect(db.updates).toBe(1);

    const call = photo(await h.send("/stats"));
    const png = upload(call);
    expect(png?.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png!.length).toBeGreaterThan(20_000);
    const caption = String(call.payload["caption"]);
    expect(caption).not.toContain("\n");
    expect(caption).toContain(`${db.people} people in the list`);
    expect(caption).toContain(`${db.updates} approved update in the last 12 months (${db.updates} in all)`);
    expect(call.payload["parse_mode"]).toBeUndefined();
    expect(h.problems).toEqual([]);
  });

  it("answers in the reader's language", async () => {
    h = await createHarness({ strict: true });
    const { people } = await truth(h);
    const ru = String(photo(await h.send("/stats", { id: 611, language_code: "ru" })).payload["caption"]);
    expect(ru).toContain(`в списке ${people} человек`);
    const kkCall = photo(await h.send("/stats", { id: 612, language_code: "kk" }));
    expect(String(kkCall.payload["caption"])).toContain(`тізімде ${people} адам`);
    // The picture as a reader gets it, to look at: test-artifacts/stats-bot-kk.png.
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(artifact("stats-bot-kk.png"), upload(kkCall)!);
  });

  it("sends the same picture again by Telegram's file id, and a new one once the figures change", async () => {
    h = await createHarness({ strict: true, adminIds: [ADMIN] });
    const first = photo(await h.send("/stats", { id: 621 }));
    expect(upload(first)).toBeDefined();
    const again = photo(await h.send("/stats", { id: 622 }));
    expect(upload(again)).toBeUndefined();
    expect(again.payload["photo"]).toBe(`photo-${upload(first)!.length}`);

    await approveOne(h, "The court heard the appeal and left the sentence unchanged.");
    const changed = photo(await h.send("/stats", { id: 621 }));
    expect(upload(changed)).toBeDefined();
    expect(String(changed.payload["caption"])).toContain("1 approved update in the last 12 months");
  });

  it("works in a group, addressed to the bot by name", async () => {
    h = await createHarness({ strict: true });
    const start = h.calls.length;
    await h.app.bot.handleUpdate({
      update_id: 9001,
      message: {
        message_id: 5,
        date: Math.floor(Date.now() / 1000),
        chat: { id: -100123, type: "supergroup", title: "Observers" },
        from: { id: 631, is_bot: false, first_name: "Member", language_code: "kk" },
        text: "/stats@kz_case_bot",
        entities: [{ type: "bot_command", offset: 0, length: 18 }],
      },
    } as Update);
    const call = photo(h.calls.slice(start));
    expect(Number(call.payload["chat_id"])).toBe(-100123);
    expect(String(call.payload["caption"])).toContain("тізімде");
  });

  it("still gives the summary as text when Telegram refuses the picture", async () => {
    h = await createHarness({ strict: true, refuse: (c) => (c.method === "sendPhoto" ? "Bad Request: PHOTO_INVALID_DIMENSIONS" : undefined) });
    const { people } = await truth(h);
    const calls = await h.send("/stats", { id: 641 });
    expect(calls.filter((c) => c.method === "sendPhoto")).toHaveLength(1);
    expect(texts(calls)).toEqual([expect.stringContaining(`${people} people in the list`)]);
  });
});

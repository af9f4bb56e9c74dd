import { afterEach, describe, expect, it } from "vitest";
import {
  CONVERSATION_VERSION,
  ConversationStateTooLarge,
  conversationStorage,
  DRAFT_TTL_MS,
  MAX_STATE_CHARS,
} from "../../src/bot/conversation-storage.js";
import { MAX_WRONG_ANSWERS } from "../../src/bot/conversation/steps.js";
import { privacySweep } from "../../src/services/privacy-sweep.js";
import { loadLocale } from "../../src/i18n.js";
import { openSqlite } from "../../src/store/db.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { createHarness, type Harness, texts } from "../helpers/bot-harness.js";

type Locale = { limits: Record<string, string>; cancel: Record<string, string>; submit: Record<string, string> };
const en = loadLocale("en") as unknown as Locale;
const ru = loadLocale("ru") as unknown as Locale;
const USER = 8101;
const KEY = `conv:${USER}`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const row = async (harness: Harness) =>
  harness.app.db.selectFrom("conversation_state").selectAll().where("key", "=", KEY).executeTakeFirst();
const putRow = (harness: Harness, value: string, updatedAt = new Date().toISOString()) =>
  harness.app.db
    .insertInto("conversation_state")
    .values({ key: KEY, value, updated_at: updatedAt })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: updatedAt }))
    .execute();

describe("a corrupt conversation_state row", () => {
  it.each([
    ["not JSON", "{\"version\":[1,"],
    ["JSON null", "null"],
    ["a wrong shape", JSON.stringify({ version: [0, CONVERSATION_VERSION], state: { submit: "garbage" } })],
  ])("(%s) does not lock the user out: /cancel answers, says the draft was dropped, the row is gone", async (_name, value) => {
    h = await createHarness({ strict: true });
    await putRow(h, value);
    const reply = texts(await h.send("/cancel", { id: USER, language_code: "ru" }));
    expect(reply).toEqual([ru.limits["draft_corrupt"], ru.cancel["nothing"]]);
    expect(await row(h)).toBeUndefined();
    // And the bot works for them again.
    expect(texts(await h.send("/case Bokayev", { id: USER })).at(-1)).toContain("Maks Bokayev");
  });

  it("/forget works for a user with a corrupt row", async () => {
    h = await createHarness({ strict: true });
    await putRow(h, "\u0000garbage");
    const reply = texts(await h.send("/forget", { id: USER }));
    expect(reply[0]).toBe(en.limits["draft_corrupt"]);
    expect(reply).toHaveLength(2);
    expect(await row(h)).toBeUndefined();
  });
});

describe("drafts untouched for 24 hours", () => {
  it("are deleted when the person comes back, and they are told so instead of continuing a stale draft", async () => {
    h = await createHarness({ strict: true });
    await h.send("/submit", { id: USER });
    const stored = await row(h);
    expect(stored).toBeDefined();
    await h.app.db
      .updateTable("conversation_state")
      .set({ updated_at: new Date(Date.now() - DRAFT_TTL_MS - 60_000).toISOString() })
      .where("key", "=", KEY)
      .execute();
    const reply = texts(await h.send("Bokayev", { id: USER }));
    expect(reply[0]).toBe(en.limits["draft_expired"]);
    // The name was not taken as the answer to the old draft's question.
    expect(reply.join("\n")).not.toContain(en.submit["ask_text"]!.slice(0, 20));
  });

  it("are swept from the database even if the person never returns", async () => {
    const db = openSqlite(":memory:");
    try {
      await migrateToLatest(db);
      const now = new Date("2026-12-03T12:00:00Z");
      const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
      await db
        .insertInto("conversation_state")
        .values([
          { key: "conv:1", value: "{}", updated_at: at(DRAFT_TTL_MS + 1000) },
          { key: "conv:2", value: "{}", updated_at: at(DRAFT_TTL_MS - 60_000) },
        ])
        .execute();
      expect((await privacySweep(db, now)).drafts).toBe(1);
      const left = await db.selectFrom("conversation_state").select("key").execute();
      expect(left.map((r) => r.key)).toEqual(["conv:2"]);
    } finally {
      await db.destroy();
    }
  });
});

describe("conversation state size", () => {
  it("state over the limit is refused and the stored row removed", async () => {
    const db = openSqlite(":memory:");
    try {
      await migrateToLatest(db);
      const { storage } = conversationStorage(db);
      const small = { version: [0, CONVERSATION_VERSION], state: { submit: [{ args: "x" }] } } as never;
      await storage.adapter.write("conv:5", small);
      const huge = { version: [0, CONVERSATION_VERSION], state: { submit: [{ args: "x".repeat(MAX_STATE_CHARS) }] } } as never;
      await expect(storage.adapter.write("conv:5", huge)).rejects.toBeInstanceOf(ConversationStateTooLarge);
      expect(await db.selectFrom("conversation_state").selectAll().execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});

describe("a step that gets nothing it can use", () => {
  it(`ends after ${MAX_WRONG_ANSWERS} wrong answers in a row, says so, and keeps no state`, async () => {
    h = await createHarness({ strict: true });
    await h.send("/submit Bokayev", { id: USER, language_code: "ru" });
    // Too short for news: each is refused and the question stands…
    for (let i = 1; i < MAX_WRONG_ANSWERS; i++) {
      const reply = texts(await h.send(`short ${i}`, { id: USER, language_code: "ru" }));
      expect(reply).toHaveLength(1);
      expect(reply[0]).not.toBe(ru.limits["too_many_wrong"]);
      expect(await row(h)).toBeDefined();
    }
    // …until the last one, which ends the conversation.
    const last = texts(await h.send("short", { id: USER, language_code: "ru" }));
    expect(last.at(-1)).toBe(ru.limits["too_many_wrong"]!.replace("{{count}}", String(MAX_WRONG_ANSWERS)));
    expect(await row(h)).toBeUndefined();
    // What comes next is a name again, not an answer; /submit starts afresh.
    expect(texts(await h.send("Bokayev", { id: USER })).at(-1)).toContain("Maks Bokayev");
    expect(texts(await h.send("/submit Bokayev", { id: USER })).at(-1)).toContain("Maks Bokayev");
  });

  it("a wrong source link counts too: the optional step ends the same way", async () => {
    h = await createHarness({ strict: true });
    await h.send("/submit Bokayev", { id: USER });
    await h.send("His appeal was heard today in Atyrau, his lawyer said.", { id: USER });
    for (let i = 1; i < MAX_WRONG_ANSWERS; i++) await h.send("not a link", { id: USER });
    expect(texts(await h.send("not a link", { id: USER })).at(-1)).toBe(en.limits["too_many_wrong"]!.replace("{{count}}", String(MAX_WRONG_ANSWERS)));
    expect(await row(h)).toBeUndefined();
    expect(await h.app.db.selectFrom("submissions").select("id").execute()).toEqual([]);
  });
});

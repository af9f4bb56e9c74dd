import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_PENDING_PER_AUTHOR } from "../../src/domain/rules.js";
import { CaseService } from "../../src/services/cases.js";
import { ModerationService } from "../../src/services/moderation.js";
import { DATABASES, seededDatabase, type TestDatabase } from "../helpers/databases.js";

/**
 * Issue 8: the cap on pending submissions holds across processes. Two services on one database stand
 * for two processes; on PostgreSQL their submissions run on different connections at the same time.
 */
describe.each(DATABASES)("pending-submission cap on $name", (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await seededDatabase(kind);
  });
  afterEach(() => t.cleanup());

  it(`twenty simultaneous submissions of one author from two processes store exactly ${MAX_PENDING_PER_AUTHOR}`, async () => {
    const processes = await Promise.all(
      [0, 1].map(async () => {
        const cases = new CaseService(t.db);
        await cases.refresh();
        return new ModerationService(t.db, cases);
      }),
    );
    const author = 7_000_000_001;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        processes[i % 2]!.submit({ caseSlug: "maks-bokayev", authorId: author, authorLang: "ru", text: `Новость номер ${i} о деле, для проверки.`, sourceUrl: null }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_PENDING_PER_AUTHOR);
    expect(results.filter((r) => !r.ok && r.reason === "limit")).toHaveLength(20 - MAX_PENDING_PER_AUTHOR);
    const stored = await t.db.selectFrom("submissions").select("id").where("author_id", "=", author).execute();
    expect(stored).toHaveLength(MAX_PENDING_PER_AUTHOR);
    // The author's language was kept for the decision's message.
    const user = await t.db.selectFrom("users").select("language").where("telegram_id", "=", author).executeTakeFirstOrThrow();
    expect(user.language).toBe("ru");
  });

  it("counts a text in UTF-16 units as Telegram does: 2,000 emoji are too long, 2,000 letters are not", async () => {
    const cases = new CaseService(t.db);
    await cases.refresh();
    const moderation = new ModerationService(t.db, cases);
    const emoji = await moderation.submit({ caseSlug: "maks-bokayev", authorId: 8, authorLang: "en", text: "😀".repeat(2000), sourceUrl: null });
    expect(emoji).toEqual({ ok: false, reason: "text_length" });
    const letters = await moderation.submit({ caseSlug: "maks-bokayev", authorId: 8, authorLang: "en", text: "а".repeat(2000), sourceUrl: null });
    expect(letters.ok).toBe(true);
  });
});

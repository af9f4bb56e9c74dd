import { afterEach, describe, expect, it } from "vitest";
import { createHarness, type Harness, texts } from "../helpers/bot-harness.js";

/** Issue 8, "Moderators' rules hold on every path": role changes. Each test builds its own bot. */

const ADMIN = { id: 1, language_code: "en", first_name: "Admin" };
const ADMIN2 = { id: 9, language_code: "en", first_name: "Admin two" };
const MOD = { id: 2, language_code: "en", first_name: "Mod" };

let h: Harness | undefined;
afterEach(async () => {
  expect(h?.problems ?? []).toEqual([]);
  await h?.close();
  h = undefined;
});

async function roleOf(harness: Harness, id: number): Promise<string | undefined> {
  const row = await harness.app.db.selectFrom("users").select("role").where("telegram_id", "=", id).executeTakeFirst();
  return row?.role;
}

describe("role changes", () => {
  it("nobody changes their own role: an admin cannot demote himself", async () => {
    h = await createHarness({ adminIds: [ADMIN.id], strict: true });
    const reply = texts(await h.send(`/demote ${ADMIN.id}`, ADMIN));
    expect(reply.join("\n")).toContain("Nobody changes their own role");
    expect(await roleOf(h, ADMIN.id)).toBe("admin");
  });

  it("an admin's role is changed only by ADMIN_IDS: another admin's /demote is refused", async () => {
    h = await createHarness({ adminIds: [ADMIN.id, ADMIN2.id], strict: true });
    const reply = texts(await h.send(`/demote ${ADMIN2.id}`, ADMIN));
    expect(reply.join("\n")).toContain("ADMIN_IDS");
    expect(await roleOf(h, ADMIN2.id)).toBe("admin");
    // /promote would make him a mere moderator: refused as well.
    await h.send(`/promote ${ADMIN2.id}`, ADMIN);
    expect(await roleOf(h, ADMIN2.id)).toBe("admin");
  });

  it("a moderator is still promoted and demoted by an admin", async () => {
    h = await createHarness({ adminIds: [ADMIN.id], strict: true });
    await h.send(`/promote ${MOD.id}`, ADMIN);
    expect(await roleOf(h, MOD.id)).toBe("moderator");
    await h.send(`/demote ${MOD.id}`, ADMIN);
    expect(await roleOf(h, MOD.id)).toBe("reader");
  });

  it("the last admin cannot be removed: a start without ADMIN_IDS keeps him; a shorter list demotes the others to moderator", async () => {
    h = await createHarness({ adminIds: [ADMIN.id, ADMIN2.id], strict: true });
    const roles = h.app.services.roles;
    expect(await roles.syncAdmins([])).toEqual({ demoted: [] });
    expect(await roleOf(h, ADMIN.id)).toBe("admin");
    expect(await roleOf(h, ADMIN2.id)).toBe("admin");
    expect(await roles.syncAdmins([ADMIN2.id])).toEqual({ demoted: [ADMIN.id] });
    expect(await roleOf(h, ADMIN.id)).toBe("moderator");
    expect(await roleOf(h, ADMIN2.id)).toBe("admin");
  });
});

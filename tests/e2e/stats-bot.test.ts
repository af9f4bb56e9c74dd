import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator } from "../../src/emulator/index.js";
import { type BotProcess, botEnv, startPollingBot, stopProcess } from "../helpers/process.js";
import { freePort } from "../helpers/web.js";

/** `npm start` against the emulator: /stats arrives as a real photo upload, and matches the web's /stats. */
let emu: BotApiEmulator;
let bot: BotProcess;
let port: number;
let dbFile: string;

beforeAll(async () => {
  emu = await BotApiEmulator.start();
  port = await freePort();
  dbFile = join(mkdtempSync(join(tmpdir(), "casebot-stats-")), "bot.sqlite");
  ({ bot } = await startPollingBot(botEnv(emu.apiRoot, dbFile, { PORT: String(port) }), emu));
}, 90_000);

afterAll(async () => {
  if (bot) await stopProcess(bot);
  await emu?.stop();
});

function publicPeople(): number {
  const db = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM cases WHERE visible = 1").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("/stats end to end", () => {
  it("uploads the charts as a photo with the summary; the web's /stats says the same; a second ask reuses the upload", async () => {
    const reader = emu.user({ id: 8301, first_name: "R", language_code: "ru" });
    const mark = reader.mark();
    await reader.send("/stats");
    const msg = await reader.waitForMessage((m) => m.photo !== undefined, 15_000, mark);
    const people = publicPeople();
    expect(msg.photo!.size).toBeGreaterThan(20_000);
    expect(msg.plain).toContain(`в списке ${people} человек`);

    const page = await (await fetch(`http://127.0.0.1:${port}/stats?lang=ru`)).text();
    expect(page).toContain(msg.plain);

    const since = emu.calls.length;
    await reader.send("/stats");
    const resend = await emu.waitForCall("sendPhoto", undefined, 15_000, since);
    expect(resend.params["photo"]).toBe(msg.photo!.file_id);
    expect(resend.ok).toBe(true);
    expect(emu.errors.filter((e) => e.method === "sendPhoto")).toEqual([]);
  });
});

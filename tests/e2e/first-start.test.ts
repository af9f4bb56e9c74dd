import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotApiEmulator } from "../../src/emulator/index.js";
import { sleep } from "../helpers/flows.js";
import { type BotProcess, ROOT, startNpm, stopProcess, untilLogged } from "../helpers/process.js";

/**
 * The README's first command as a newcomer runs it: `npm start` with a token and nothing else (here
 * the emulator's address, as "Done means" asks), in a checkout of its own, so no DATABASE_URL, no
 * PORT, no PUBLIC_URL. It makes the SQLite file ./data/casebot.sqlite, and http://localhost:8080
 * shows the cases.
 *
 * 8080 is one port for the whole machine: test runs side by side take turns through a lock
 * directory, and wait for the port to be free.
 */
const LOCK = join(tmpdir(), "casebot-port-8080.lock");
let emu: BotApiEmulator;
let bot: BotProcess | undefined;
let checkout: string;
let haveLock = false;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function take8080(timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, "pid"), String(process.pid));
      haveLock = true;
      break;
    } catch {
      // A holder that died leaves its lock behind: take it over.
      const holder = Number(existsSync(join(LOCK, "pid")) ? readFileSync(join(LOCK, "pid"), "utf8") : "0");
      if (holder > 0 && !pidAlive(holder)) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() - t0 > timeoutMs) throw new Error(`another test run holds ${LOCK}`);
      else await sleep(250);
    }
  }
  while (!(await portFree(8080))) {
    if (Date.now() - t0 > timeoutMs) throw new Error("port 8080 is taken by another program: the README's first command needs it");
    await sleep(250);
  }
}

beforeAll(async () => {
  emu = await BotApiEmulator.start();
  // A checkout of its own: a copy of the repository's files (node_modules linked), where ./data is new.
  checkout = mkdtempSync(join(tmpdir(), "casebot-first-start-"));
  for (const entry of ["package.json", "tsconfig.json", "src", "db", "locales", "public"]) {
    cpSync(join(ROOT, entry), join(checkout, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"));
  await take8080(120_000);
  bot = startNpm("start", { BOT_TOKEN: "123456:first-start", TELEGRAM_API_ROOT: emu.apiRoot, TELEGRAM_CHAT_GAP_MS: "0" }, checkout);
  await untilLogged(bot, "start", "polling", 90_000);
}, 240_000);

afterAll(async () => {
  if (bot) await stopProcess(bot);
  await emu?.stop();
  if (haveLock) rmSync(LOCK, { recursive: true, force: true });
  if (checkout) rmSync(checkout, { recursive: true, force: true });
});

describe("npm start, the README's first command", () => {
  it("serves http://localhost:8080 with the 37 cases, from the SQLite default ./data/casebot.sqlite", async () => {
    expect(bot!.stderr()).toMatch(/"msg":"web".*"port":8080.*"public_url":"http:\/\/localhost:8080"/);
    expect(existsSync(join(checkout, "data", "casebot.sqlite"))).toBe(true);

    const home = await fetch("http://localhost:8080/");
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Political prisoners");
    const counts = [...html.matchAll(/<span class="count">(\d+)<\/span>/g)].map((m) => Number(m[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(37);

    const card = await fetch("http://localhost:8080/search?q=Bokayev", { redirect: "follow" });
    expect(card.url).toBe("http://localhost:8080/cases/maks-bokayev?lang=en");
    expect(await card.text()).toContain("<h1>Maks Bokayev</h1>");

    const api = (await (await fetch("http://localhost:8080/api/v1/cases?per_page=100")).json()) as { total: number; data: Array<{ url: string }> };
    expect(api.total).toBe(37);
    expect(api.data[0]?.url).toMatch(/^http:\/\/localhost:8080\/cases\//);
  });

  it("answers in Telegram at the same time", async () => {
    const reader = emu.user({ id: 8401, first_name: "New", language_code: "ru" });
    const mark = reader.mark();
    await reader.send("/case Бокаев");
    expect((await reader.waitForMessage(undefined, 10_000, mark)).plain).toContain("Бокаев");
  });
});

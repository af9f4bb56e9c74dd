/**
 * `npm run try`: a chat with the real bot in the terminal. The bot runs in this process against the
 * project's Bot API emulator on 127.0.0.1; nothing reaches Telegram. Type a message or a command,
 * press a button by typing its number, `@ name` for inline mode, `/quit` (or Ctrl-D) to leave.
 */
import { createInterface } from "node:readline";
import { run } from "@grammyjs/runner";
import { createApp } from "../app.js";
import { loadConfigForTry } from "./try-config.js";
import { createLogger } from "../logger.js";
import { BotApiEmulator, type MessageView } from "../emulator/index.js";

interface Button {
  text: string;
  callback_data?: string;
  url?: string;
  switch_inline_query?: string;
}

const print = (s = "") => process.stdout.write(s + "\n");

function buttonsOf(m: MessageView | undefined): Button[] {
  const kb = m?.reply_markup?.["inline_keyboard"];
  return Array.isArray(kb) ? (kb as Button[][]).flat() : [];
}

function show(m: MessageView, edited: boolean): void {
  print(edited ? "bot (edited its message):" : "bot:");
  for (const line of m.plain.split("\n")) print("  " + line);
  const buttons = buttonsOf(m);
  if (buttons.length > 0) print("  " + buttons.map((b, i) => `[${i + 1}] ${b.text}`).join("   "));
  print();
}

async function main(): Promise<void> {
  const { config, language } = loadConfigForTry();
  const logger = createLogger(config.logLevel);
  const emu = await BotApiEmulator.start();
  const app = await createApp({ ...config, apiRoot: emu.apiRoot }, logger);
  const runner = run(app.bot);
  app.worker.start();
  const me = emu.user({ id: 100200300, first_name: "You", language_code: language });

  let seen = new Map<number, number>();
  const settle = async () => {
    let calls = -1;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (emu.pendingUpdates > 0 || calls !== emu.calls.length)) {
      calls = emu.calls.length;
      await new Promise((r) => setTimeout(r, 150));
    }
    for (const m of me.messages()) {
      const before = seen.get(m.message_id);
      if (before === undefined || before < m.edits) show(m, before !== undefined);
    }
    seen = new Map(me.messages().map((m) => [m.message_id, m.edits]));
  };

  const inline = async (query: string) => {
    const id = await me.inline(query);
    const answer = await me.inlineAnswer(id).catch(() => undefined);
    const results = (answer?.["results"] as Array<{ title?: string; description?: string }> | undefined) ?? [];
    print(`inline results for "${query}":`);
    for (const r of results) print(`  • ${r.title ?? ""}${r.description ? ` — ${r.description}` : ""}`);
    print();
  };

  print(`Chatting with @${app.bot.botInfo.username} (language: ${language}). Try /case Бокаев, /list, /language.`);
  print("Type a button's number to press it, '@ name' for inline mode, /quit to leave.\n");

  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  const interactive = process.stdin.isTTY === true;
  const prompt = () => (interactive ? rl.prompt() : undefined);
  rl.setPrompt("you> ");
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === "/quit" || line === "/exit") break;
    if (line === "") {
      prompt();
      continue;
    }
    if (!interactive) print(`you> ${line}`);
    const last = me.messages().at(-1);
    const buttons = buttonsOf(last);
    const n = /^\d{1,2}$/.test(line) ? Number(line) : NaN;
    if (line.startsWith("@")) {
      await inline(line.replace(/^@\S*\s*/, ""));
    } else if (last && n >= 1 && n <= buttons.length) {
      const b = buttons[n - 1]!;
      if (b.callback_data !== undefined) {
        await me.press(last.message_id, b.callback_data);
        await settle();
      } else if (b.switch_inline_query !== undefined) {
        await inline(b.switch_inline_query);
      } else if (b.url) {
        print(`(a link: ${b.url})\n`);
      }
    } else {
      await me.send(line);
      await settle();
    }
    prompt();
  }
  rl.close();
  await runner.stop();
  await app.close();
  await emu.stop();
  print("bye");
}

main().catch((err: unknown) => {
  process.stderr.write(`npm run try failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

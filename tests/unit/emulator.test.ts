import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Bot, InlineKeyboard } from "grammy";
import { BotApiEmulator, htmlToPlain, parseTelegramHtml, validateMessageText } from "../../src/emulator/index.js";

type ApiResponse = { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: { retry_after?: number } };

let emu: BotApiEmulator;
const TOKEN = "123:abc";

async function api(method: string, params: Record<string, unknown> = {}): Promise<ApiResponse & { status: number }> {
  const res = await fetch(`${emu.apiRoot}/bot${TOKEN}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: res.status, ...((await res.json()) as ApiResponse) };
}

beforeEach(async () => {
  emu = await BotApiEmulator.start();
});
afterEach(async () => {
  await emu.stop();
});

describe("Telegram HTML validation", () => {
  it("accepts allowed tags and entities", () => {
    const r = parseTelegramHtml('<b>x</b> &lt;<a href="https://t.me/x?start=case_a">y</a>');
    expect(r).toEqual({
      ok: true,
      text: "x <y",
      entities: [
        { type: "bold", offset: 0, length: 1 },
        { type: "text_link", offset: 3, length: 1, url: "https://t.me/x?start=case_a" },
      ],
    });
    const rich = parseTelegramHtml(
      '<strong>a</strong><em>b</em><ins>c</ins><del>d</del><span class="tg-spoiler">e</span><tg-spoiler>f</tg-spoiler>' +
        '<code>g</code><pre><code class="language-ts">h</code></pre><blockquote expandable>i</blockquote>' +
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> &#65;&#x42;&quot;&amp;&gt; a > b',
    );
    expect(rich.ok).toBe(true);
    if (rich.ok) {
      expect(rich.text).toBe('abcdefghi👍 AB"&> a > b');
      expect(rich.entities.find((e) => e.type === "pre")).toMatchObject({ language: "ts", offset: 7, length: 1 });
      expect(rich.entities.some((e) => e.type === "expandable_blockquote")).toBe(true);
    }
  });

  it.each([
    ["<script>alert(1)</script>", /Unsupported start tag "script"/],
    ["<b>x", /Can't find end tag corresponding to start tag "b"/],
    ["<b>x</i>", /Unmatched end tag/],
    ["x</b>", /Unexpected end tag/],
    ["a < b", /Unsupported start tag ""/],
    ["a &nbsp; b", /Unsupported HTML entity "&nbsp;"/],
    ['<span class="x">s</span>', /tg-spoiler/],
    ["<b", /Unclosed start tag/],
  ])("rejects %s", (html, message) => {
    const r = parseTelegramHtml(html);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it("counts the visible length after decoding, in UTF-16 units", () => {
    expect(validateMessageText("&lt;".repeat(4096), "HTML").text).toHaveLength(4096);
    expect(() => validateMessageText("&lt;".repeat(4097), "HTML")).toThrow("Bad Request: message is too long");
    expect(() => validateMessageText(`<b>${"x".repeat(4096)}</b>`, "HTML")).not.toThrow();
    expect(() => validateMessageText("😀".repeat(2049))).toThrow("message is too long");
    expect(() => validateMessageText("<b> </b>", "HTML")).toThrow("Bad Request: message text is empty");
  });

  it("htmlToPlain strips tags and decodes entities", () => {
    expect(htmlToPlain('<b>x</b> &lt;<a href="https://t.me/x">y</a> &amp;lt;')).toBe("x <y &lt;");
  });
});

describe("Bot API over HTTP (plain fetch)", () => {
  it("answers getMe, unknown methods and records calls", async () => {
    const me = await api("getMe");
    expect(me).toMatchObject({ ok: true, result: { id: 1000001, is_bot: true, username: "kz_case_bot", supports_inline_queries: true } });
    const unknown = await api("fooBar");
    expect(unknown).toEqual({ status: 404, ok: false, error_code: 404, description: "Not Found: method not found" });
    expect(emu.tokens).toEqual([TOKEN]);
    expect(emu.calls.map((c) => c.method)).toEqual(["getMe", "fooBar"]);
    expect(emu.errors).toHaveLength(1);
    expect(await api("setMyCommands", { commands: [{ command: "start", description: "Start" }] })).toMatchObject({ ok: true });
    expect((await api("getMyCommands")).result).toEqual([{ command: "start", description: "Start" }]);
    expect((await api("setMyCommands", { commands: [{ command: "Bad-1", description: "x" }] })).status).toBe(400);
  });

  it("accepts form-encoded bodies", async () => {
    const res = await fetch(`${emu.apiRoot}/bot${TOKEN}/sendMessage`, {
      method: "POST",
      body: new URLSearchParams({ chat_id: "7", text: "<i>hi</i>", parse_mode: "HTML", reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "a", callback_data: "a" }]] }) }),
    });
    const body = (await res.json()) as ApiResponse;
    expect(body.result).toMatchObject({ text: "hi", entities: [{ type: "italic", offset: 0, length: 2 }], chat: { id: 7, type: "private" } });
    expect(emu.chatMessages(7)[0]?.reply_markup).toEqual({ inline_keyboard: [[{ text: "a", callback_data: "a" }]] });
  });

  it("long-polls getUpdates and confirms by offset", async () => {
    const user = emu.user({ id: 501, first_name: "Reader", language_code: "en" });
    const started = Date.now();
    const poll = api("getUpdates", { timeout: 5 });
    await new Promise((r) => setTimeout(r, 50));
    await user.send("/start case_a");
    const first = await poll;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(first.result).toHaveLength(1);
    const update = first.result[0];
    expect(update.message).toMatchObject({ text: "/start case_a", from: { id: 501, language_code: "en" }, chat: { id: 501, type: "private" } });
    expect(update.message.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    expect(emu.pendingUpdates).toBe(1);
    const empty = await api("getUpdates", { offset: update.update_id + 1, timeout: 0 });
    expect(empty.result).toEqual([]);
    expect(emu.pendingUpdates).toBe(0);
    expect(emu.confirmedOffset).toBe(update.update_id + 1);
    const t0 = Date.now();
    expect((await api("getUpdates", { timeout: 1 })).result).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it("a second long poll terminates the first with 409", async () => {
    const first = api("getUpdates", { timeout: 5 });
    await new Promise((r) => setTimeout(r, 50));
    const second = api("getUpdates", { timeout: 1 });
    expect(await first).toMatchObject({ status: 409, description: expect.stringMatching(/^Conflict: terminated by other getUpdates/) });
    expect((await second).result).toEqual([]);
  });

  it("stop() ends pending long polls with an empty result", async () => {
    const poll = api("getUpdates", { timeout: 30 });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await emu.stop();
    expect((await poll).result).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("validates sendMessage: HTML, length, keyboard", async () => {
    const user = emu.user({ id: 42 });
    const bad = await api("sendMessage", { chat_id: 42, text: "a < b", parse_mode: "HTML" });
    expect(bad.status).toBe(400);
    expect(bad.description).toMatch(/^Bad Request: can't parse entities: /);
    expect((await api("sendMessage", { chat_id: 42, text: "&lt;".repeat(4096), parse_mode: "HTML" })).ok).toBe(true);
    expect((await api("sendMessage", { chat_id: 42, text: "&lt;".repeat(4097), parse_mode: "HTML" })).description).toBe("Bad Request: message is too long");
    expect((await api("sendMessage", { chat_id: 42, text: "" })).description).toBe("Bad Request: message text is empty");
    const longData = await api("sendMessage", { chat_id: 42, text: "x", reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "d".repeat(65) }]] } });
    expect(longData.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    expect((await api("sendMessage", { chat_id: 42, text: "x", reply_markup: { inline_keyboard: [[{ callback_data: "d" }]] } })).status).toBe(400);
    expect(emu.errors.length).toBe(5);
    expect(user.messages().map((m) => m.plain.length)).toEqual([4096]);
    expect(emu.deliveries(42)).toBe(1);
  });

  it("edits: not found, not modified, keyboard removal", async () => {
    const user = emu.user({ id: 43 });
    const kb = { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] };
    const sent = await api("sendMessage", { chat_id: 43, text: "<b>Hi</b>", parse_mode: "HTML", reply_markup: kb });
    const id = sent.result.message_id as number;
    expect((await api("editMessageText", { chat_id: 43, message_id: 999, text: "x" })).description).toBe("Bad Request: message to edit not found");
    const same = await api("editMessageText", { chat_id: 43, message_id: id, text: "<b>Hi</b>", parse_mode: "HTML", reply_markup: kb });
    expect(same.description).toMatch(/^Bad Request: message is not modified: /);
    const edited = user.waitForEdit(id, 1000);
    expect((await api("editMessageText", { chat_id: 43, message_id: id, text: "<b>Hi</b>", parse_mode: "HTML" })).ok).toBe(true);
    expect(await edited).toMatchObject({ plain: "Hi", edits: 1 });
    expect(user.last()?.reply_markup).toBeUndefined();
    expect((await api("editMessageReplyMarkup", { chat_id: 43, message_id: id })).description).toMatch(/not modified/);
    expect((await api("deleteMessage", { chat_id: 43, message_id: id })).result).toBe(true);
    expect((await api("deleteMessage", { chat_id: 43, message_id: id })).description).toBe("Bad Request: message to delete not found");
    expect(user.messages()).toEqual([]);
  });

  it("callback queries and inline queries", async () => {
    const user = emu.user({ id: 44 });
    await api("sendMessage", { chat_id: 44, text: "pick", reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "pick:a" }, { text: "Site", url: "https://example.org" }]] } });
    const msg = user.last()!;
    await expect(user.press(msg, "Nope")).rejects.toThrow(/"A" → pick:a, "Site" → url https:\/\/example.org/);
    const qid = await user.press(msg, "pick:a");
    const { result } = await api("getUpdates");
    expect(result[0].callback_query).toMatchObject({ id: qid, data: "pick:a", from: { id: 44 }, message: { message_id: msg.message_id } });
    const answered = user.callbackAnswer(qid, 1000);
    expect((await api("answerCallbackQuery", { callback_query_id: qid, text: "ok" })).ok).toBe(true);
    expect(await answered).toMatchObject({ text: "ok" });
    expect((await api("answerCallbackQuery", { callback_query_id: qid })).description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );

    const iq = await user.inline("case");
    const article = (id: string, text: string) => ({ type: "article", id, title: "T", input_message_content: { message_text: text, parse_mode: "HTML" } });
    expect((await api("answerInlineQuery", { inline_query_id: iq, results: [article("1", "<b>x"), article("2", "y")] })).description).toMatch(/can't parse entities/);
    expect((await api("answerInlineQuery", { inline_query_id: iq, results: [article("1", "x"), article("1", "y")] })).description).toBe("Bad Request: RESULT_ID_DUPLICATE");
    expect((await api("answerInlineQuery", { inline_query_id: iq, results: Array.from({ length: 51 }, (_, i) => article(String(i), "x")) })).description).toBe("Bad Request: RESULTS_TOO_MUCH");
    expect((await api("answerInlineQuery", { inline_query_id: iq, results: [article("1", "<b>x</b>")] })).ok).toBe(true);
    expect((await user.inlineAnswer(iq, 100))["results"]).toHaveLength(1);
  });

  it("429 under setRateLimits, 403 under blockBot, failNext", async () => {
    emu.setRateLimits({ perChat: 2 });
    const a = await api("sendMessage", { chat_id: 1, text: "1" });
    const b = await api("sendMessage", { chat_id: 1, text: "2" });
    const c = await api("sendMessage", { chat_id: 1, text: "3" });
    const other = await api("sendMessage", { chat_id: 2, text: "x" });
    expect([a.ok, b.ok, other.ok]).toEqual([true, true, true]);
    expect(c).toMatchObject({ status: 429, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    expect(emu.sentTo(1)).toBe(2);

    emu.setRateLimits({ global: 1 });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await api("sendMessage", { chat_id: 3, text: "x" })).ok).toBe(true);
    expect((await api("sendMessage", { chat_id: 4, text: "x" })).status).toBe(429);
    emu.setRateLimits({});

    emu.blockBot(5);
    const blocked = await api("sendMessage", { chat_id: 5, text: "x" });
    expect(blocked).toMatchObject({ status: 403, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    expect(emu.deliveries(5)).toBe(0);

    emu.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } }, 2);
    expect((await api("sendMessage", { chat_id: 6, text: "x" })).parameters).toEqual({ retry_after: 7 });
    expect((await api("sendMessage", { chat_id: 6, text: "x" })).status).toBe(429);
    expect((await api("sendMessage", { chat_id: 6, text: "x" })).ok).toBe(true);
    expect(emu.errors.filter((e) => e.injected)).toHaveLength(2);
  });

  it("pushes updates to a webhook with the secret token", async () => {
    const { createServer } = await import("node:http");
    const got: { secret: string | undefined; body: any }[] = [];
    const hook = createServer((req, res) => {
      let data = "";
      req.on("data", (c) => (data += c));
      req.on("end", () => {
        got.push({ secret: req.headers["x-telegram-bot-api-secret-token"] as string | undefined, body: JSON.parse(data) });
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
    try {
      const port = (hook.address() as { port: number }).port;
      expect((await api("setWebhook", { url: `http://127.0.0.1:${port}/hook`, secret_token: "s3cret" })).ok).toBe(true);
      expect((await api("getUpdates")).status).toBe(409);
      await emu.user({ id: 9 }).send("hello");
      await emu.state.waitFor(() => (got.length ? true : undefined), 2000, () => "no webhook delivery");
      expect(got[0]).toMatchObject({ secret: "s3cret", body: { message: { text: "hello" } } });
      expect((await api("getWebhookInfo")).result).toMatchObject({ url: `http://127.0.0.1:${port}/hook`, pending_update_count: 0 });
      await api("deleteWebhook");
      await emu.user({ id: 9 }).send("queued");
      expect(emu.pendingUpdates).toBe(1);
    } finally {
      await new Promise((r) => hook.close(r));
    }
  });

  it("waitForMessage rejects with the last messages", async () => {
    const user = emu.user({ id: 45 });
    await api("sendMessage", { chat_id: 45, text: "old one" });
    await expect(user.waitForMessage(undefined, 100)).rejects.toThrow(/#1: "old one"/);
  });
});

describe("with a real grammY bot", () => {
  it("replies with HTML and a keyboard, handles the button press", async () => {
    const bot = new Bot(TOKEN, { client: { apiRoot: emu.apiRoot } });
    bot.command("start", (ctx) =>
      ctx.reply("<b>Welcome</b> &lt;case&gt;", { parse_mode: "HTML", reply_markup: new InlineKeyboard().text("Open", "case:a") }),
    );
    bot.callbackQuery("case:a", async (ctx) => {
      await ctx.answerCallbackQuery({ text: "Opening" });
      await ctx.editMessageText("<i>Case A</i>", { parse_mode: "HTML" });
    });
    bot.catch((err) => {
      throw err.error;
    });
    const running = bot.start({ drop_pending_updates: false });
    try {
      const user = emu.user({ id: 501, first_name: "Reader", language_code: "en" });
      await user.send("/start");
      const m = await user.waitForMessage((x) => x.plain.startsWith("Welcome"));
      expect(m.plain).toBe("Welcome <case>");
      expect(m.parse_mode).toBe("HTML");
      const editP = user.waitForEdit(m.message_id);
      const qid = await user.press(m, "Open");
      expect(await user.callbackAnswer(qid)).toMatchObject({ text: "Opening" });
      const edited = await editP;
      expect(edited).toMatchObject({ plain: "Case A", edits: 1, entities: [{ type: "italic", offset: 0, length: 6 }] });
      expect(edited.reply_markup).toBeUndefined();
      await new Promise((r) => setTimeout(r, 100)); // let grammY start its next long poll before stopping
    } finally {
      await bot.stop();
      await running;
    }
    expect(emu.errors).toEqual([]);
    expect(emu.pendingUpdates).toBe(0);
  });
});

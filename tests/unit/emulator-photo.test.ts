import { Bot, InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BotApiEmulator } from "../../src/emulator/index.js";

let emu: BotApiEmulator;
beforeEach(async () => {
  emu = await BotApiEmulator.start();
});
afterEach(() => emu.stop());

describe("emulator sendPhoto", () => {
  it("takes grammY's upload, gives a file id that sends the photo again, and refuses what Telegram refuses", async () => {
    const bot = new Bot("123:photo", { client: { apiRoot: emu.apiRoot } });
    const user = emu.user({ id: 77, first_name: "P" });
    await user.send("hi"); // the chat exists
    const png = Buffer.alloc(3000, 7);
    const sent = await bot.api.sendPhoto(77, new InputFile(png, "stats.png"), { caption: "<b>37</b> people", parse_mode: "HTML" });
    expect(sent.caption).toBe("37 people");
    const fileId = sent.photo.at(-1)!.file_id;
    expect(user.last()?.photo).toEqual({ file_id: fileId, size: 3000 });

    const again = await bot.api.sendPhoto(77, fileId, { caption: "again" });
    expect(again.photo.at(-1)!.file_id).toBe(fileId);

    await expect(bot.api.sendPhoto(77, "no-such-file-id")).rejects.toThrow(/wrong file identifier/);
    await expect(bot.api.sendPhoto(77, fileId, { caption: "x".repeat(1025) })).rejects.toThrow(/caption is too long/);
    await expect(bot.api.sendPhoto(77, fileId, { caption: "<b>broken", parse_mode: "HTML" })).rejects.toThrow(/can't parse entities/);
  });
});

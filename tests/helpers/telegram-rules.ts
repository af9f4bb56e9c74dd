import { validateMessageText } from "../../src/emulator/html.js";
import { validateInlineResults, validateReplyMarkup } from "../../src/emulator/validate.js";
import type { ApiCall } from "./bot-harness.js";

/** The emulator's Telegram rules applied to a recorded call: the problem Telegram would answer, or undefined. */
export function telegramProblem(call: ApiCall): string | undefined {
  try {
    const p = call.payload;
    if (call.method === "sendMessage" || call.method === "editMessageText") {
      validateMessageText(p["text"], p["parse_mode"]);
      validateReplyMarkup(p["reply_markup"]);
    }
    if (call.method === "answerInlineQuery") validateInlineResults(p["results"]);
    if (call.method === "answerCallbackQuery" && typeof p["text"] === "string" && p["text"].length > 200) {
      return "Bad Request: MESSAGE_TOO_LONG";
    }
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

import type { MessageView, SimUser } from "../../src/emulator/index.js";

const hasData = (data: string) => (m: MessageView) =>
  ((m.reply_markup?.["inline_keyboard"] as Array<Array<{ callback_data?: string }>> | undefined) ?? []).flat().some((b) => b.callback_data === data);

/**
 * The submission step after the source: whether moderators may see the author's id. Answers "Show my
 * ID" (or "Stay anonymous") and returns a mark for waiting on the preview that follows.
 */
export async function answerAnonymity(user: SimUser, after: number, anonymous = false, timeoutMs = 10_000): Promise<number> {
  const question = await user.waitForMessage(hasData("sb:id"), timeoutMs, after);
  const next = user.mark();
  await user.press(question, anonymous ? "sb:anon" : "sb:id");
  return next;
}

/**
 * A moderator approves a submission as plain news: Approve opens the type picker, "Other news"
 * publishes. Returns the callback query id of the publishing press and the moderator's message as
 * it is edited after the decision.
 */
export async function approveAsOther(
  moderator: SimUser,
  message: MessageView | number,
  timeoutMs = 10_000,
): Promise<{ query: string; decided: Promise<MessageView> }> {
  const id = typeof message === "number" ? message : message.message_id;
  const picker = moderator.waitForEdit(id, timeoutMs);
  const first = await moderator.press(id, "Approve");
  await moderator.callbackAnswer(first, timeoutMs);
  await picker;
  const decided = moderator.waitForEdit(id, timeoutMs);
  decided.catch(() => undefined);
  return { query: await moderator.press(id, "Other news"), decided };
}

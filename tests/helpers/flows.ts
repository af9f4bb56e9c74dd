import type { MessageView, SimUser } from "../../src/emulator/index.js";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The inline buttons of a message as the user sees it now. */
export const buttons = (m: MessageView | undefined): Array<{ text: string; callback_data?: string; url?: string }> =>
  ((m?.reply_markup?.["inline_keyboard"] as Array<Array<{ text: string; callback_data?: string; url?: string }>> | undefined) ?? []).flat();

/** A predicate for waitForMessage: the message has a button with this callback data. */
export const hasButton = (data: string) => (m: MessageView) => buttons(m).some((b) => b.callback_data === data);

/**
 * The submission step after the source: whether moderators may see the author's id. Answers "Show my
 * ID" (or "Stay anonymous") and returns a mark for waiting on the preview that follows.
 */
export async function answerAnonymity(user: SimUser, after: number, anonymous = false, timeoutMs = 10_000): Promise<number> {
  const question = await user.waitForMessage(hasButton("sb:id"), timeoutMs, after);
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

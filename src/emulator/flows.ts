import type { MessageView, SimUser } from "./index.js";

/** Steps a simulated moderator takes, shared by the end-to-end tests and the benchmark. */

/** The inline buttons of a message as the user sees it now. */
export const buttons = (m: MessageView | undefined): Array<{ text: string; callback_data?: string; url?: string }> =>
  ((m?.reply_markup?.["inline_keyboard"] as Array<Array<{ text: string; callback_data?: string; url?: string }>> | undefined) ?? []).flat();

/** A predicate for waitForMessage: the message has a button with this callback data. */
export const hasButton = (data: string) => (m: MessageView) => buttons(m).some((b) => b.callback_data === data);

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

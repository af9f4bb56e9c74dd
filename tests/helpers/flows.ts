import type { MessageView, SimUser } from "../../src/emulator/index.js";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

import { hasButton } from "../../src/emulator/flows.js";

export { approveAsOther, buttons, hasButton } from "../../src/emulator/flows.js";

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
 * An author sends news about the case `search` finds (no source link, the author's id shown) and
 * presses Send; returns the moderation message that reaches `moderator`.
 */
export async function submitNews(author: SimUser, moderator: SimUser, search: string, text: string): Promise<MessageView> {
  let mark = author.mark();
  await author.send(`/submit ${search}`);
  await author.waitForMessage(undefined, 10_000, mark);
  mark = author.mark();
  await author.send(text);
  const ask = await author.waitForMessage(hasButton("sb:skip"), 10_000, mark);
  mark = author.mark();
  await author.press(ask, "sb:skip");
  mark = await answerAnonymity(author, mark);
  const preview = await author.waitForMessage(hasButton("sb:send"), 10_000, mark);
  const moderatorMark = moderator.mark();
  await author.press(preview, "sb:send");
  return moderator.waitForMessage((m) => m.plain.includes(text.slice(0, 25)), 10_000, moderatorMark);
}

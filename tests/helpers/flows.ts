import type { MessageView, SimUser } from "../../src/emulator/index.js";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

import { buttons, hasButton } from "../../src/emulator/flows.js";

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
 * An author sends news about the case `search` finds (Skip, or the `source` link; the author's id shown),
 * presses Send and is told it went to the moderators; returns the moderation message `moderator` gets.
 */
export async function submitNews(author: SimUser, moderator: SimUser, search: string, text: string, source: string | null = null): Promise<MessageView> {
  let mark = author.mark();
  await author.send(`/submit ${search}`);
  await author.waitForMessage(undefined, 10_000, mark);
  mark = author.mark();
  await author.send(text);
  const ask = await author.waitForMessage(hasButton("sb:skip"), 10_000, mark);
  mark = author.mark();
  if (source === null) await author.press(ask, "sb:skip");
  else await author.send(source);
  mark = await answerAnonymity(author, mark);
  const preview = await author.waitForMessage(hasButton("sb:send"), 10_000, mark);
  const moderatorMark = moderator.mark();
  mark = author.mark();
  await author.press(preview, "sb:send");
  await author.waitForMessage((m) => /модератор|moderator/i.test(m.plain), 10_000, mark);
  return moderator.waitForMessage((m) => m.plain.includes(text.slice(0, 25)) && buttons(m).length > 0, 10_000, moderatorMark);
}

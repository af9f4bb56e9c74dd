import type { SimUser } from "../../src/emulator/index.js";

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


export { BotApiEmulator, type EmulatorOptions, type SimUserInit } from "./server.js";
export { SimUser, type MessageView, type MessagePredicate } from "./sim-user.js";
export type { CallRecord, StoredMessage, UserInfo } from "./state.js";
export type { FaultSpec, RateLimits } from "./limits.js";
export { ApiError } from "./errors.js";
export { parseTelegramHtml, validateMessageText, MAX_MESSAGE_LENGTH, type HtmlParse } from "./html.js";
export { htmlToPlain, decodeEntities } from "./render-text.js";

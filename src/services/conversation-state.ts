import type { DB } from "../store/db.js";
import * as store from "../store/conversations.js";

/** Half-finished conversations, kept in the database per chat so that they survive a restart. */
export const conversationState = {
  key: store.conversationKey,
  read: (db: DB, key: string) => store.readConversation(db, key),
  write: (db: DB, key: string, value: string, now: string) => store.writeConversation(db, key, value, now),
  delete: (db: DB, key: string) => store.deleteConversation(db, key),
};

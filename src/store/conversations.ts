import type { DB } from "./db.js";

/**
 * Conversations are kept per person and chat: in a private chat (the chat id is the user id) that is
 * `conv:<id>`; in a group each member has their own, so nobody's message is taken as another's answer.
 */
export function conversationKey(chatId: number, userId: number = chatId): string {
  return userId === chatId ? `conv:${chatId}` : `conv:${chatId}:${userId}`;
}

export interface StoredConversation {
  value: string;
  updatedAt: string;
}

export async function readConversation(db: DB, key: string): Promise<StoredConversation | undefined> {
  const row = await db.selectFrom("conversation_state").select(["value", "updated_at"]).where("key", "=", key).executeTakeFirst();
  return row ? { value: row.value, updatedAt: row.updated_at } : undefined;
}

export async function writeConversation(db: DB, key: string, value: string, now: string): Promise<void> {
  await db
    .insertInto("conversation_state")
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: now }))
    .execute();
}

export async function deleteConversation(db: DB, key: string): Promise<void> {
  await db.deleteFrom("conversation_state").where("key", "=", key).execute();
}

/** Deletes every conversation untouched since `before` (ISO time); returns how many. */
export async function deleteConversationsBefore(db: DB, before: string): Promise<number> {
  const result = await db.deleteFrom("conversation_state").where("updated_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

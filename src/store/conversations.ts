import type { DB } from "./db.js";

/** Conversations are kept per chat; in a private chat the chat id is the user id. */
export function conversationKey(chatId: number): string {
  return `conv:${chatId}`;
}

export async function readConversation(db: DB, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("conversation_state").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
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

import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import type { DB } from "../store/db.js";
import { conversationState } from "../services/conversation-state.js";

const { key: conversationKey, read: readConversation, write: writeConversation, delete: deleteConversation } = conversationState;

/**
 * Bump when a conversation's code changes: stored state of another version is discarded by the
 * plugin (replaying it against new code would go wrong), and the user is told their draft was reset.
 */
export const CONVERSATION_VERSION = 2;

type Stored = VersionedState<ConversationData>;

/** Keeps conversation state in our database, so a half-finished conversation survives a restart. */
export function conversationStorage(db: DB, now: () => Date = () => new Date()) {
  const reset = new Set<string>();
  const adapter = {
    async read(key: string): Promise<Stored | undefined> {
      const raw = await readConversation(db, key);
      if (raw === undefined) return undefined;
      const data = JSON.parse(raw) as Stored;
      const version = Array.isArray(data.version) ? data.version[1] : undefined;
      if (version !== CONVERSATION_VERSION) {
        await deleteConversation(db, key);
        reset.add(key);
        return undefined;
      }
      return data;
    },
    async write(key: string, state: Stored): Promise<void> {
      await writeConversation(db, key, JSON.stringify(state), now().toISOString());
    },
    async delete(key: string): Promise<void> {
      await deleteConversation(db, key);
    },
  };
  return {
    storage: {
      type: "key" as const,
      version: CONVERSATION_VERSION,
      adapter,
      getStorageKey: (ctx: { chatId?: number | undefined }) => (ctx.chatId === undefined ? undefined : conversationKey(ctx.chatId)),
    },
    /** True once for a chat whose stored draft was of another version and was dropped. */
    takeReset(chatId: number): boolean {
      return reset.delete(conversationKey(chatId));
    },
  };
}

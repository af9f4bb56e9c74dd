import type { ConversationData, VersionedState } from "@grammyjs/conversations";
import type { DB } from "../store/db.js";
import { conversationState } from "../services/conversation-state.js";
import { DRAFT_TTL_MS } from "../services/privacy-sweep.js";

const {
  key: conversationKey,
  read: readConversation,
  write: writeConversation,
  delete: deleteConversation,
} = conversationState;

/**
 * Bump when a conversation's code changes: stored state of another version is discarded by the
 * plugin (replaying it against new code would go wrong), and the user is told their draft was reset.
 */
export const CONVERSATION_VERSION = 2;

export { DRAFT_TTL_MS };

/**
 * The most conversation state one chat may keep (UTF-16 units of its JSON). Each waiting step stores
 * the updates it replays; a chat that floods a waiting conversation must not grow a row without end.
 */
export const MAX_STATE_CHARS = 256 * 1024;

type Stored = VersionedState<ConversationData>;

/** Why a chat's stored draft was dropped, told to the person on their next update. */
export type DropReason = "version" | "corrupt" | "expired";

export class ConversationStateTooLarge extends Error {
  constructor(readonly chars: number) {
    super(`conversation state of ${chars} characters is over the limit of ${MAX_STATE_CHARS}`);
    this.name = "ConversationStateTooLarge";
  }
}

/** The plugin's shape: { version: [pluginVersion, ourVersion], state: { name: [ … ] } }. Anything else is corrupt. */
function parse(raw: string): Stored | undefined {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const { version, state } = data as { version?: unknown; state?: unknown };
  if (!Array.isArray(version) || version.length !== 2) return undefined;
  if (typeof state !== "object" || state === null || Array.isArray(state)) return undefined;
  for (const list of Object.values(state)) {
    if (!Array.isArray(list) || list.some((s) => typeof s !== "object" || s === null || Array.isArray(s))) return undefined;
  }
  return data as Stored;
}

type KeyedContext = { chatId?: number | undefined; from?: { id: number } | undefined };

/**
 * A conversation belongs to the person who started it, in the chat they started it in: every answer
 * it waits for comes from that person (another member of a group gets a conversation of their own).
 * An update from nobody (a channel post) has none.
 */
export function storageKey(ctx: KeyedContext): string | undefined {
  if (ctx.chatId === undefined || ctx.from === undefined) return undefined;
  return conversationKey(ctx.chatId, ctx.from.id);
}

/** Keeps conversation state in our database, so a half-finished conversation survives a restart. */
export function conversationStorage(db: DB, now: () => Date = () => new Date()) {
  const dropped = new Map<string, DropReason>();
  const drop = async (key: string, reason: DropReason) => {
    await deleteConversation(db, key);
    dropped.set(key, reason);
    if (dropped.size > 10_000) dropped.delete(dropped.keys().next().value as string);
  };
  const adapter = {
    async read(key: string): Promise<Stored | undefined> {
      const row = await readConversation(db, key);
      if (row === undefined) return undefined;
      // A row we cannot read would fail every update of this chat, /cancel and /forget included.
      const data = parse(row.value);
      if (data === undefined) {
        await drop(key, "corrupt");
        return undefined;
      }
      if (now().getTime() - Date.parse(row.updatedAt) > DRAFT_TTL_MS) {
        await drop(key, "expired");
        return undefined;
      }
      if (data.version[1] !== CONVERSATION_VERSION) {
        await drop(key, "version");
        return undefined;
      }
      return data;
    },
    async write(key: string, state: Stored): Promise<void> {
      const json = JSON.stringify(state);
      if (json.length > MAX_STATE_CHARS) {
        // Refused: the error boundary ends the conversation (which deletes the row) and says so.
        await deleteConversation(db, key);
        throw new ConversationStateTooLarge(json.length);
      }
      await writeConversation(db, key, json, now().toISOString());
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
      getStorageKey: storageKey,
    },
    /** Once per drop: why this person's stored draft in this chat was dropped, or undefined. */
    takeReset(ctx: KeyedContext): DropReason | undefined {
      const key = storageKey(ctx);
      if (key === undefined) return undefined;
      const reason = dropped.get(key);
      dropped.delete(key);
      return reason;
    },
  };
}

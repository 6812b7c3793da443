import { create } from 'zustand';
import type { RpcClient } from '../../../../shared/ipc/client';
import type { Message, Thread } from '../../../../shared/ipc/schemas';

const PAGE = 50;

interface ConversationState {
  threadId: string | null;
  /** The open thread's row (participants, names, opt-out), kept fresh by thread.updated. */
  thread: Thread | null;
  messages: Message[];
  olderCursor: string | null;
  newerCursor: string | null;
  loading: 'initial' | 'older' | 'newer' | null;
  error: string | null;
  /** The message a search jump landed on, highlighted until the next open. */
  highlightId: string | null;
  /** Errors of per-message actions (retry, cancel), by message id. */
  actionErrors: Record<string, string>;
  open(client: RpcClient, threadId: string, around?: string): Promise<void>;
  setThread(thread: Thread): void;
  close(): void;
  loadOlder(client: RpcClient): Promise<void>;
  loadNewer(client: RpcClient): Promise<void>;
  /** A message was created or changed (events, send, retry). */
  upsert(message: Message): void;
  /**
   * The agent's own new message: it shows at once, also from a slice of the past, where the newest page opens. False
   * when the agent has left its thread meanwhile.
   */
  sent(client: RpcClient, message: Message): Promise<boolean>;
  /** A scheduled or queued message was cancelled (message.deleted). */
  remove(messageId: string): void;
  retry(client: RpcClient, messageId: string): Promise<void>;
  cancel(client: RpcClient, messageId: string): Promise<void>;
}

const byTime = (a: Message, b: Message) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Adds or replaces messages by id and keeps display order (oldest first). */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort(byTime);
}

export const useConversationStore = create<ConversationState>()((set, get) => {
  const runAction = async (messageId: string, action: () => Promise<void>) => {
    const { [messageId]: _, ...rest } = get().actionErrors;
    set({ actionErrors: rest });
    try {
      await action();
    } catch (e) {
      set({ actionErrors: { ...get().actionErrors, [messageId]: (e as Error).message } });
    }
  };
  /** The page of older or newer messages beyond the loaded ones, merged in; dropped if the thread changed meanwhile. */
  const loadPage = async (client: RpcClient, side: 'older' | 'newer') => {
    const { threadId, olderCursor, newerCursor, loading } = get();
    const cursor = side === 'older' ? olderCursor : newerCursor;
    if (!threadId || !cursor || loading) return;
    set({ loading: side });
    try {
      const page = await client.call('messages.list', { threadId, limit: PAGE, ...(side === 'older' ? { before: cursor } : { after: cursor }) });
      if (get().threadId !== threadId) return;
      const next = side === 'older' ? { olderCursor: page.olderCursor } : { newerCursor: page.newerCursor };
      set({ messages: mergeMessages(get().messages, page.messages), ...next, loading: null });
    } catch (e) {
      if (get().threadId === threadId) set({ loading: null, error: (e as Error).message });
    }
  };
  return {
    threadId: null,
    thread: null,
    messages: [],
    olderCursor: null,
    newerCursor: null,
    loading: null,
    error: null,
    highlightId: null,
    actionErrors: {},
    open: async (client, threadId, around) => {
      const thread = get().thread?.id === threadId ? get().thread : null;
      set({ threadId, thread, messages: [], olderCursor: null, newerCursor: null, loading: 'initial', error: null, highlightId: around ?? null, actionErrors: {} });
      try {
        const page = await client.call('messages.list', { threadId, limit: PAGE, ...(around ? { around } : {}) });
        if (get().threadId !== threadId) return;
        set({ messages: page.messages, olderCursor: page.olderCursor, newerCursor: page.newerCursor, loading: null });
      } catch (e) {
        if (get().threadId === threadId) set({ loading: null, error: (e as Error).message });
      }
    },
    setThread: (thread) => {
      if (thread.id === get().threadId) set({ thread });
    },
    close: () => set({ threadId: null, thread: null, messages: [], olderCursor: null, newerCursor: null, loading: null, error: null, highlightId: null }),
    loadOlder: (client) => loadPage(client, 'older'),
    loadNewer: (client) => loadPage(client, 'newer'),
    upsert: (message) => {
      const { threadId, messages, newerCursor } = get();
      if (message.threadId !== threadId) return;
      const known = messages.some((m) => m.id === message.id);
      // While a search jump shows a slice of the past, new messages are fetched with the newer pages instead.
      if (!known && newerCursor) return;
      set({ messages: mergeMessages(messages, [message]) });
    },
    sent: async (client, message) => {
      const { threadId, newerCursor } = get();
      if (message.threadId !== threadId) return false;
      if (newerCursor) await get().open(client, threadId);
      else get().upsert(message);
      return true;
    },
    remove: (messageId) => set({ messages: get().messages.filter((m) => m.id !== messageId) }),
    retry: (client, messageId) => runAction(messageId, async () => get().upsert((await client.call('messages.retry', { messageId })).message)),
    // A cancelled message is gone from the thread (the engine also says so with message.deleted).
    cancel: (client, messageId) =>
      runAction(messageId, async () => {
        await client.call('messages.cancel', { messageId });
        get().remove(messageId);
      }),
  };
});

import type { RpcClient } from '../../../../shared/ipc/client';
import type { Thread } from '../../../../shared/ipc/schemas';
import { cancelRead, markReadWhenSettled } from '../threads/afterOpen';
import { useThreadsStore } from '../threads/threadsStore';
import { useUiStore } from '../ui/uiStore';
import { useConversationStore } from './conversationStore';

/**
 * Opens a thread in the conversation pane (from the list, a search hit, a notification or a new conversation):
 * selects it, loads its newest page (or the page around `around`), and marks it read if the agent stays on it.
 */
export async function openThread(client: RpcClient, threadId: string, options: { around?: string; thread?: Thread } = {}): Promise<void> {
  useThreadsStore.getState().select(threadId);
  useUiStore.getState().showMain('conversation');
  // The desktop shell raises no notification for the conversation the agent is reading.
  client.call('view.set', { threadId }).catch(() => {});
  const conversation = useConversationStore.getState();
  const known = options.thread ?? useThreadsStore.getState().threads.find((t) => t.id === threadId);
  const loading = conversation.open(client, threadId, options.around);
  if (known) conversation.setThread(known);
  else client.call('threads.get', { threadId }).then(({ thread }) => useConversationStore.getState().setThread(thread), () => {});
  markReadWhenSettled(client, threadId, (thread) => {
    useThreadsStore.getState().upsert(thread);
    useConversationStore.getState().setThread(thread);
  });
  await loading;
}

/**
 * Where one pane shows at a time (ONE_PANE), the conversation gives its place back to the list: the thread stays
 * selected, is not marked read if the agent had not stayed on it, and is no longer the one the agent reads.
 */
export function closeThread(client: RpcClient): void {
  useConversationStore.getState().close();
  cancelRead();
  // The desktop shell notifies of this thread's messages again.
  client.call('view.set', { threadId: null }).catch(() => {});
}

/** The phone-sized layout (styles.css): an open conversation takes the list's place, so one pane shows at a time. */
export const ONE_PANE = '(max-width: 720px)';

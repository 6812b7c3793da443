import type { RpcClient } from '../../../../shared/ipc/client';
import type { Thread } from '../../../../shared/ipc/schemas';
import { markReadWhenSettled } from '../threads/afterOpen';
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

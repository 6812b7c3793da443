import type { RpcClient } from '../../../../shared/ipc/client';
import type { Thread } from '../../../../shared/ipc/schemas';
import { useThreadsStore } from './threadsStore';

/**
 * The rule for "read": a thread is read once it has stayed open this long. Walking the list with the arrow keys opens
 * every thread passed, but only the one the agent stops on is read; a click that stays on its thread reads it a
 * second later.
 */
export const READ_AFTER_MS = 1000;

let pending: ReturnType<typeof setTimeout> | undefined;

/** Marks the thread read once it has stayed selected for READ_AFTER_MS; opening another thread meanwhile cancels it. */
export function markReadWhenSettled(client: RpcClient, threadId: string, onRead: (thread: Thread) => void): void {
  clearTimeout(pending);
  pending = setTimeout(() => {
    pending = undefined;
    if (useThreadsStore.getState().selectedId !== threadId) return;
    client.call('threads.markRead', { threadId }).then(({ thread }) => onRead(thread), () => {});
  }, READ_AFTER_MS);
}

/** The thread was closed before it was read (the back button of the phone-sized layout, which keeps it selected). */
export function cancelRead(): void {
  clearTimeout(pending);
  pending = undefined;
}

/**
 * After a dialog or Enter on the list opened a thread (new conversation, a search hit) the agent's next move is to type:
 * the caret goes to the composer once it is rendered. A thread that cannot be answered (opted out, a short code) has
 * none: its messages take the focus, since what had it may have given its place to the conversation (one pane at a time).
 */
export function focusComposer(): void {
  requestAnimationFrame(() => {
    const target = document.querySelector<HTMLElement>('[data-testid="composer-input"]') ?? document.querySelector<HTMLElement>('.messages[role="log"]');
    target?.focus({ preventScroll: true });
  });
}

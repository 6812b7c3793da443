import type { Message, Thread } from '../../../shared/ipc/schemas';
import type { MethodOutput } from '../../../shared/ipc/contract';
import type { RpcEndpoint } from '../../../shared/ipc/envelope';
import { formatPhone } from '../../../shared/domain/phone';
import { onCoreEvent } from './events';

export interface NotificationContent {
  title: string;
  body: string;
}

/** What an inbound message says in a notification: the contact's name where known, the text or its attachments. */
export function notificationContent(message: Message, names: Record<string, string>): NotificationContent {
  const sender = names[message.from] ?? formatPhone(message.from);
  const group = message.to.length > 1 ? ` (group of ${message.to.length + 1})` : '';
  const files = message.attachments.length;
  const text = message.text.trim() || (files === 1 ? 'Sent an attachment' : `Sent ${files} attachments`);
  return { title: `${sender}${group}`, body: text.length > 200 ? `${text.slice(0, 199)}…` : text };
}

export interface NotifierPorts {
  /** Raises a native notification; onClick runs when the user clicks it. */
  show(content: NotificationContent, onClick: () => void): void;
  /** True while the agent is looking at this thread (window focused, thread open): no notification then. */
  isReading(threadId: string): boolean;
  /** Brings the window forward on this thread. */
  openThread(threadId: string): void;
}

/**
 * Inbound messages become native notifications, unless the agent turned them off in settings (read at start, then
 * followed). Returns a function that stops it.
 */
export function startNotifier(endpoint: RpcEndpoint, ports: NotifierPorts): () => void {
  let enabled = true;
  let settingsChanged = false;
  const offSettings = onCoreEvent(endpoint, 'settings.changed', (settings) => {
    settingsChanged = true;
    enabled = settings.notifications;
  });
  void endpoint.handle({ id: 0, method: 'settings.get', input: {} }).then((response) => {
    if (response.ok && !settingsChanged) enabled = (response.output as MethodOutput<'settings.get'>).notifications;
  });
  // Contact names arrive with thread updates; remembered so a notification can say who wrote.
  const names = new Map<string, Record<string, string>>();
  const offThreads = onCoreEvent(endpoint, 'thread.updated', ({ thread }: { thread: Thread }) => names.set(thread.id, thread.names));
  const offMessages = onCoreEvent(endpoint, 'message.created', ({ message }) => {
    if (!enabled || message.direction !== 'in' || ports.isReading(message.threadId)) return;
    ports.show(notificationContent(message, names.get(message.threadId) ?? {}), () => ports.openThread(message.threadId));
  });
  return () => {
    offSettings();
    offThreads();
    offMessages();
  };
}

import type { Message, Thread } from '../../shared/ipc/schemas';
import { message, thread } from '../../shared/ipc/schemas';

/** Contract-valid entities for the shell's tests; parsed, so a contract change shows up here first. */
export const aThread = (over: Partial<Thread> = {}): Thread =>
  thread.parse({
    id: 't1',
    ourNumber: '+19195550100',
    participants: ['+19195551234'],
    names: {},
    lastActivityAt: 1,
    unread: 0,
    preview: null,
    optedOut: false,
    ...over,
  });

export const aMessage = (over: Partial<Message> = {}): Message =>
  message.parse({
    id: 'm1',
    threadId: 't1',
    direction: 'in',
    from: '+19195551234',
    to: ['+19195550100'],
    text: 'Hello',
    status: 'received',
    createdAt: 1,
    updatedAt: 1,
    bandwidthId: null,
    segments: 1,
    encoding: 'GSM-7',
    sendAt: null,
    priority: 'default',
    tag: null,
    errorCode: null,
    errorDetail: null,
    attachments: [],
    deliveries: [],
    ...over,
  });

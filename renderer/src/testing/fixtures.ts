import type { Message, Thread } from '../../../shared/ipc/schemas';

let seq = 0;

export function aMessage(patch: Partial<Message> = {}): Message {
  seq += 1;
  return {
    id: `m${String(seq).padStart(4, '0')}`,
    threadId: 't1',
    direction: 'out',
    from: '+19195550100',
    to: ['+19195551234'],
    text: 'hello',
    status: 'delivered',
    createdAt: Date.UTC(2026, 10, 26, 12, 0, seq),
    updatedAt: Date.UTC(2026, 10, 26, 12, 0, seq),
    bandwidthId: null,
    segments: 1,
    encoding: 'GSM-7',
    sendAt: null,
    priority: 'default',
    tag: null,
    errorCode: null,
    errorDetail: null,
    retries: 0,
    attachments: [],
    deliveries: [],
    ...patch,
  };
}

export function aThread(patch: Partial<Thread> = {}): Thread {
  return {
    id: 't1',
    ourNumber: '+19195550100',
    participants: ['+19195551234'],
    names: {},
    lastActivityAt: 1000,
    unread: 0,
    // A listed thread has had a message: one without (just started) is listed only while open.
    preview: { text: 'hello', direction: 'in', status: 'received', hasMedia: false },
    optedOut: false,
    ...patch,
  };
}

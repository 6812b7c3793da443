import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, Thread } from '../../shared/ipc/schemas';
import { CoreHarness } from '../support/coreHarness';

const OURS = '+19195550100';
const CREDENTIALS = { username: 'burst', password: 'burst-secret' };
const AUTH = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;

/** A message-received callback as Bandwidth posts it (REFERENCE.md §6). */
function received(id: string, sentAt: number, from: string, text: string, to: string[] = [OURS]) {
  const time = new Date(sentAt).toISOString();
  return [{ type: 'message-received', time, to: OURS, description: 'Incoming message received', message: { id, time, direction: 'in', owner: OURS, to, from, text, segmentCount: 1 } }];
}

describe('a burst of concurrent callbacks', () => {
  const h = new CoreHarness({}, { callback: { port: 0, ...CREDENTIALS } });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const post = (body: unknown) =>
    fetch(h.core.callbackUrl!, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status);

  it('announces each new message once in its stored form, each thread with its newest preview, and skips the duplicate', async () => {
    const created: Message[] = [];
    const threads = new Map<string, Thread>();
    const offCreated = h.client.on('message.created', ({ message }) => void created.push(message));
    const offThreads = h.client.on('thread.updated', ({ thread }) => void threads.set(thread.id, thread));
    const at = Date.now();
    const bodies = [
      received('burst-1', at, '+19845550101', 'first from Ann'),
      received('burst-2', at, '+19845550102', 'hello from Bob'),
      received('burst-3', at + 1000, '+19845550101', 'second from Ann'),
      received('burst-4', at, '+19845550103', 'group hello', [OURS, '+19845550104']),
      received('burst-2', at, '+19845550102', 'hello from Bob'),
    ];
    // All in flight at once: the listener group-commits whatever arrives in one turn and reads the messages back after.
    expect(await Promise.all(bodies.map(post))).toEqual([204, 204, 204, 204, 204]);
    await expect.poll(() => created.length).toBe(4);
    offCreated();
    offThreads();

    expect(created.map((m) => m.bandwidthId).sort()).toEqual(['burst-1', 'burst-2', 'burst-3', 'burst-4']);
    for (const message of created) {
      expect(message).toMatchObject({ direction: 'in', status: 'received', attachments: [], deliveries: [] });
      const { messages } = await h.client.call('messages.list', { threadId: message.threadId });
      expect(messages.find((m) => m.id === message.id)).toEqual(message);
    }
    const ann = created.filter((m) => m.from === '+19845550101');
    expect(ann).toHaveLength(2);
    expect(ann[0]!.threadId).toBe(ann[1]!.threadId);
    const group = created.find((m) => m.bandwidthId === 'burst-4')!;
    expect(group.to).toEqual(['+19845550104', OURS]);
    expect(threads.get(group.threadId)?.participants).toEqual(['+19845550103', '+19845550104']);
    expect(threads.get(ann[0]!.threadId)).toMatchObject({ unread: 2, preview: { text: 'second from Ann', direction: 'in' } });
  });
});

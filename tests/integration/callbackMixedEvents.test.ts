import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/ipc/schemas';
import { CoreHarness } from '../support/coreHarness';

const OURS = '+19195550100';
const ANN = '+19845550121';
const CREDENTIALS = { username: 'mixed', password: 'mixed-secret' };
const AUTH = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;

/** A message-received event as Bandwidth posts it (REFERENCE.md §6). */
function received(id: string, text: string) {
  const time = new Date().toISOString();
  return { type: 'message-received', time, to: OURS, description: 'Incoming message received', message: { id, time, direction: 'in', owner: OURS, to: [OURS], from: ANN, text, segmentCount: 1 } };
}

/** One callback body holding events the app cannot use beside one it can: the usable one is never lost. */
describe('a callback array with an unusable event', () => {
  const h = new CoreHarness({}, { callback: { port: 0, ...CREDENTIALS } });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const post = (body: unknown) =>
    fetch(h.core.callbackUrl!, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status);
  const stored = async (bandwidthId: string): Promise<Message[]> => {
    const { threads } = await h.client.call('threads.list', {});
    const all = await Promise.all(threads.map((t) => h.client.call('messages.list', { threadId: t.id })));
    return all.flatMap((page) => page.messages).filter((m) => m.bandwidthId === bandwidthId);
  };

  it('stores the message beside an event of a type the app does not know, and answers 2xx', async () => {
    const message = received('mixed-1', 'hello beside a new event type');
    const expired = { type: 'message-expired', time: message.time, to: OURS, description: 'Message expired', message: { ...message.message, direction: 'out' } };
    expect(await post([message, expired])).toBe(204);
    expect(await stored('mixed-1')).toEqual([expect.objectContaining({ direction: 'in', text: 'hello beside a new event type' })]);
  });

  it('stores the message beside an invalid event of a handled type and answers 400; the retries store nothing twice', async () => {
    const message = received('mixed-2', 'hello beside a broken status');
    const broken = { type: 'message-delivered', time: 'yesterday', to: ANN, description: 'ok', message: { ...message.message, direction: 'out' } };
    expect(await post([broken, message])).toBe(400);
    expect(await stored('mixed-2')).toHaveLength(1);
    // Bandwidth retries the same body: still refused, and the message is not stored again.
    expect(await post([broken, message])).toBe(400);
    expect(await stored('mixed-2')).toEqual([expect.objectContaining({ text: 'hello beside a broken status' })]);
  });
});

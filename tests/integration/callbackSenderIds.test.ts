import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Thread } from '../../shared/ipc/schemas';
import { CoreHarness } from '../support/coreHarness';

const OURS = '+19195550100';
const ANN = '+19845550121';
const CREDENTIALS = { username: 'senders', password: 'senders-secret' };
const AUTH = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;

/** A message-received event as Bandwidth posts it (REFERENCE.md §6), from a number, a short code or a sender name. */
function received(id: string, from: string, text: string) {
  const time = new Date().toISOString();
  return { type: 'message-received', time, to: OURS, description: 'Incoming message received', message: { id, time, direction: 'in', owner: OURS, to: [OURS], from, text, segmentCount: 1 } };
}

/** Carriers and services text business numbers from short codes ("22395") and sender names ("BANKALERT"): nothing they send is lost. */
describe('inbound texts from short codes and sender names, through the callback listener', () => {
  const h = new CoreHarness({}, { callback: { port: 0, ...CREDENTIALS } });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const post = (...events: unknown[]) =>
    fetch(h.core.callbackUrl!, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify(events) }).then((r) => r.status);
  const threadWith = async (participant: string): Promise<Thread | undefined> =>
    (await h.client.call('threads.list', {})).threads.find((t) => t.participants.length === 1 && t.participants[0] === participant);

  it('are stored in their own threads, listed by threads.list and read by messages.list', async () => {
    expect(await post(received('sc-1', '22395', 'Your code is 482913'), received('name-1', 'BANKALERT', 'Low balance on your card'))).toBe(204);
    const shortCode = await threadWith('22395');
    const bank = await threadWith('BANKALERT');
    expect(shortCode).toMatchObject({ ourNumber: OURS, unread: 1, optedOut: false, preview: { text: 'Your code is 482913', direction: 'in' } });
    expect(bank).toMatchObject({ ourNumber: OURS, unread: 1, optedOut: false, preview: { text: 'Low balance on your card', direction: 'in' } });
    expect(bank!.id).not.toBe(shortCode!.id);
    expect((await h.client.call('messages.list', { threadId: bank!.id })).messages).toEqual([
      expect.objectContaining({ direction: 'in', from: 'BANKALERT', to: [OURS], text: 'Low balance on your card', bandwidthId: 'name-1' }),
    ]);
    expect((await h.client.call('messages.list', { threadId: shortCode!.id })).messages).toEqual([expect.objectContaining({ from: '22395', text: 'Your code is 482913' })]);
    // A retry of the same callback stores nothing twice, as for any sender.
    expect(await post(received('name-1', 'BANKALERT', 'Low balance on your card'))).toBe(204);
    expect((await h.client.call('messages.list', { threadId: bank!.id })).messages).toHaveLength(1);
  });

  it('are found by search (words, and the short code as a number) and exported', async () => {
    const byWord = await h.client.call('search.query', { query: 'balance' });
    expect(byWord.results.map((r) => [r.message.from, r.thread.participants])).toEqual([['BANKALERT', ['BANKALERT']]]);
    const byNumber = await h.client.call('search.query', { query: '22395' });
    expect(byNumber.results.map((r) => r.message.text)).toEqual(['Your code is 482913']);
    const bank = await threadWith('BANKALERT');
    const csv = await h.client.call('threads.export', { threadId: bank!.id, format: 'csv' });
    expect(csv.content).toContain(',inbound,BANKALERT,');
    expect(csv.filename).toMatch(/^switchboard-bankalert-\d{4}-\d\d-\d\d\.csv$/);
  });

  it('send keywords that opt nobody out and get no reply, as they cannot be replied to', async () => {
    // A customer's HELP, posted after theirs, for contrast: its reply shows auto-replies are on and were handled by then.
    const replyToAnn = h.next('message.created', ({ message }) => message.direction === 'out' && message.to[0] === ANN);
    expect(await post(received('name-2', 'BANKALERT', 'STOP'), received('name-3', 'BANKALERT', 'HELP'), received('sc-2', '22395', 'STOP'))).toBe(204);
    expect(await post(received('ann-1', ANN, 'HELP'))).toBe(204);
    await replyToAnn;
    for (const sender of ['BANKALERT', '22395']) {
      const thread = await threadWith(sender);
      expect(thread?.optedOut).toBe(false);
      const { messages } = await h.client.call('messages.list', { threadId: thread!.id });
      expect(messages.map((m) => m.direction)).toEqual(messages.map(() => 'in'));
    }
    expect((await h.client.call('messages.list', { threadId: (await threadWith('BANKALERT'))!.id })).messages.map((m) => m.text)).toEqual(['Low balance on your card', 'STOP', 'HELP']);
    expect((await h.client.call('threads.list', { view: 'opted-out' })).threads).toEqual([]);
  });

  it('cannot be texted: a send to one is refused with a clear error and writes nothing', async () => {
    for (const to of ['BANKALERT', '22395']) {
      await expect(h.client.call('messages.send', { from: OURS, to: [to], text: 'hello?' })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining(`"${to}" is not a valid phone number`),
      });
      await expect(h.client.call('threads.start', { from: OURS, to: [to] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    const { results } = await h.client.call('search.query', { query: 'hello' });
    expect(results).toEqual([]);
  });
});

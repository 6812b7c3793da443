import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainFailure } from '../../shared/domain/errorCodes';
import type { Message } from '../../shared/ipc/schemas';
import { CoreHarness } from '../support/coreHarness';

const OURS = '+19195550100';
/** Long enough for a STOP to be stored first, even on a busy host. */
const WAIT_MS = 3000;

/**
 * PRODUCT.md §2.9 after the message is written: a STOP (or a carrier's 4775) that arrives while a message waits in the
 * queue stops it, since after STOP nothing but the one confirmation may go.
 */
describe('opt-outs that arrive while a message waits in the queue', () => {
  const h = new CoreHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const settled = (id: string, status: Message['status']) => h.next('message.statusChanged', ({ message }) => message.id === id && message.status === status);
  const sentTo = async (number: string) =>
    (await h.control<{ messages: { to: string[]; text: string }[] }>('/messages')).messages.filter((m) => m.to.includes(number)).map((m) => m.text);

  /** `customer` texts `text` to our number; resolves once their opt-out state is `optedOut` on the thread. */
  async function texts(customer: string, text: string, optedOut: boolean): Promise<void> {
    const changed = h.next('thread.updated', ({ thread }) => thread.participants.length === 1 && thread.participants.includes(customer) && thread.optedOut === optedOut);
    await h.control('/inbound', { from: customer, to: OURS, text });
    await changed;
  }

  it('a scheduled message is not sent to a customer who texted STOP before it was due: it fails naming them, the confirmation still goes, and Retry waits for START', async () => {
    const customer = '+19845550191';
    const sendAt = Date.now() + WAIT_MS;
    const { message } = await h.client.call('messages.send', { from: OURS, to: [customer], text: 'See you tomorrow at 9', sendAt });
    expect(message.status).toBe('scheduled');
    const failed = settled(message.id, 'failed');
    const confirmed = h.next('message.statusChanged', (p) => p.message.to[0] === customer && /unsubscribed/.test(p.message.text) && p.message.status === 'delivered');
    await texts(customer, 'STOP', true);
    expect(Date.now(), 'the STOP must be stored before the message falls due').toBeLessThan(sendAt);
    // The confirmation is queued past the opt-out and its job is exempt from the queue's check.
    await confirmed;

    const refused = (await failed).message;
    expect(refused).toMatchObject({ errorCode: null, bandwidthId: null, errorDetail: 'Not sent: (984) 555-0191 opted out (texted STOP) after this message was written.' });
    expect(await sentTo(customer)).toEqual([expect.stringMatching(/unsubscribed/)]);
    expect((await h.client.call('queue.status', {})).depth).toBe(0);
    // The bubble: the reason in full, and Retry only once they opted back in.
    expect(explainFailure(refused, true)).toMatchObject({ title: refused.errorDetail, canRetry: false, action: expect.stringContaining('START') });
    expect(explainFailure(refused, false)).toMatchObject({ canRetry: true, action: expect.stringMatching(/opted back in/) });
    await expect(h.client.call('messages.retry', { messageId: message.id })).rejects.toMatchObject({
      code: 'OPTED_OUT',
      message: expect.stringContaining('(984) 555-0191 opted out'),
    });
    expect((await h.client.call('messages.list', { threadId: message.threadId })).messages.find((m) => m.id === message.id)?.status).toBe('failed');

    await texts(customer, 'START', false);
    const delivered = settled(message.id, 'delivered');
    await h.client.call('messages.retry', { messageId: message.id });
    await delivered;
    expect((await sentTo(customer)).filter((text) => text === 'See you tomorrow at 9')).toHaveLength(1);
  });

  it('a group message is not sent when one of its recipients opted out meanwhile: it cannot go to part of the group', async () => {
    const [ana, ben, cy] = ['+19845550192', '+19845550193', '+19845550194'];
    const sendAt = Date.now() + WAIT_MS;
    const { message } = await h.client.call('messages.send', { from: OURS, to: [ana, ben, cy], text: 'Team lunch moved to 1pm', sendAt });
    const failed = settled(message.id, 'failed');
    await texts(ben, 'stop', true);
    expect(Date.now(), 'the STOP must be stored before the message falls due').toBeLessThan(sendAt);
    const refused = (await failed).message;
    expect(refused.errorDetail).toBe('Not sent: (984) 555-0193 opted out (texted STOP) after this message was written.');
    expect(refused.deliveries.map((d) => d.status)).toEqual(['failed', 'failed', 'failed']);
    for (const number of [ana, ben, cy]) expect(await sentTo(number)).not.toContain('Team lunch moved to 1pm');
    await expect(h.client.call('messages.retry', { messageId: message.id })).rejects.toMatchObject({ code: 'OPTED_OUT' });
  });

  it('an MMS whose recipient texts STOP while its files go up is not sent', async () => {
    const customer = '+19845550195';
    const latencyMs = WAIT_MS;
    const patch = (settings: Record<string, number>) => fetch(`${h.controlUrl}/settings`, { method: 'PATCH', body: JSON.stringify(settings) });
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#00aa55' } }).png().toBuffer();
    const staged = await h.core.stageAttachment(png, 'label.png');
    // Every request to Bandwidth now takes WAIT_MS: the upload is under way while the STOP comes in.
    expect((await patch({ latencyMs })).status).toBe(200);
    try {
      const started = Date.now();
      const { message } = await h.client.call('messages.send', { from: OURS, to: [customer], text: 'Your return label', attachments: [staged.attachment.id] });
      const failed = settled(message.id, 'failed');
      await settled(message.id, 'sending');
      await texts(customer, 'STOP', true);
      expect(Date.now() - started, 'the STOP must be stored while the upload is still out').toBeLessThan(latencyMs);
      expect((await failed).message.errorDetail).toBe('Not sent: (984) 555-0195 opted out (texted STOP) after this message was written.');
      expect(await sentTo(customer)).not.toContain('Your return label');
    } finally {
      await patch({ latencyMs: 0 });
    }
  });

  it('a retry of a message the carrier refused because the recipient opted out (4775) is refused', async () => {
    const { message } = await h.client.call('messages.send', { from: OURS, to: ['+19195554775'], text: 'Still interested?' });
    expect((await settled(message.id, 'failed')).message.errorCode).toBe(4775);
    await expect(h.client.call('messages.retry', { messageId: message.id })).rejects.toMatchObject({ code: 'OPTED_OUT' });
    expect(await sentTo('+19195554775')).toEqual(['Still interested?']);
  });
});

import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/ipc/schemas';
import { CoreHarness } from '../support/coreHarness';

const OURS = '+19195550100';
const AUTH_PAUSE_MS = 300;

/**
 * Refused credentials (401/403) are the account's problem, not the message's: the queue holds every send until the
 * admin fixes them, whichever request was refused, the upload of a file or the send itself.
 */
describe('a 401 from Bandwidth holds the queue instead of failing the message', () => {
  const h = new CoreHarness({}, { engine: { authPauseMs: AUTH_PAUSE_MS } });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const sentTo = async (number: string) =>
    (await h.control<{ messages: { to: string[]; text: string }[] }>('/messages')).messages.filter((m) => m.to.includes(number)).map((m) => m.text);

  /** Sends `input` with Bandwidth refusing our credentials on the next request; resolves with every status it took. */
  async function sendRefusedOnce(input: { to: string[]; text: string; attachments?: string[] }): Promise<Message['status'][]> {
    const seen: Message['status'][] = [];
    const text = input.text;
    const off = h.client.on('message.statusChanged', ({ message }) => {
      if (message.text === text) seen.push(message.status);
    });
    try {
      // Two: the client gets a new OAuth token after a 401 and tries once more before it gives up.
      await h.control('/fail-next', { count: 2, status: 401 });
      const { message } = await h.client.call('messages.send', { from: OURS, ...input });
      await h.next('message.statusChanged', (p) => p.message.id === message.id && (p.message.status === 'delivered' || p.message.status === 'failed'));
    } finally {
      off();
    }
    return seen;
  }

  it('a text send refused with 401 goes once the pause is over', async () => {
    const customer = '+19845550141';
    const seen = await sendRefusedOnce({ to: [customer], text: 'held, not lost' });
    expect(seen).not.toContain('failed');
    expect(seen.at(-1)).toBe('delivered');
    expect(await sentTo(customer)).toEqual(['held, not lost']);
  });

  it('an MMS whose upload is refused with 401 is held the same way, not failed for good', async () => {
    const customer = '+19845550142';
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#3366ff' } }).png().toBuffer();
    const staged = await h.core.stageAttachment(png, 'badge.png');
    const uploadFailed = h.next('attachment.progress', (p) => p.attachmentId === staged.attachment.id && p.state === 'failed');
    const seen = await sendRefusedOnce({ to: [customer], text: 'a picture, held', attachments: [staged.attachment.id] });
    // The upload was refused (the fault hit it, not the send), and the message went once the pause was over.
    await uploadFailed;
    expect(seen).not.toContain('failed');
    expect(seen.at(-1)).toBe('delivered');
    expect(await sentTo(customer)).toEqual(['a picture, held']);
  });
});

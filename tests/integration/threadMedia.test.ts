import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreHarness } from '../support/coreHarness';

const OURS = '+19195550100';
const CUSTOMER = '+19845550188';

/** The contact panel's data through the real core: the thread's media gallery, and names that reach the thread list. */
describe('threads.media and contact edits against the sandbox', () => {
  const h = new CoreHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('lists the files of a thread, sent and received, newest first, a page at a time', async () => {
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#2266ff' } }).png().toBuffer();
    const staged = await h.core.stageAttachment(png, 'blue.png');
    const sent = (await h.client.call('messages.send', { from: OURS, to: [CUSTOMER], attachments: [staged.attachment.id] })).message;

    const downloaded = h.next('message.updated', ({ message }) => message.from === CUSTOMER && message.attachments.length === 2 && message.attachments.every((a) => a.state === 'ready'));
    await h.client.call('sandbox.simulateInbound', { from: CUSTOMER, to: [OURS], text: 'two pictures', images: 2 });
    const received = (await downloaded).message;
    await h.client.call('sandbox.simulateInbound', { from: CUSTOMER, to: [OURS], text: 'and some words', images: 0 });
    expect(received.threadId).toBe(sent.threadId);
    expect(received.createdAt).toBeGreaterThanOrEqual(sent.createdAt);

    const first = await h.client.call('threads.media', { threadId: sent.threadId, limit: 2 });
    expect(first.items.map((i) => i.messageId)).toEqual([received.id, received.id]);
    expect(first.items.map((i) => i.attachment.id).sort()).toEqual(received.attachments.map((a) => a.id).sort());
    expect(first.items.every((i) => i.createdAt === received.createdAt && i.attachment.url === `/media/${i.attachment.id}`)).toBe(true);
    expect(first.nextCursor).not.toBeNull();

    const second = await h.client.call('threads.media', { threadId: sent.threadId, limit: 2, before: first.nextCursor! });
    expect(second.items).toEqual([{ attachment: expect.objectContaining({ id: staged.attachment.id, state: 'ready', contentType: 'image/png' }), messageId: sent.id, createdAt: sent.createdAt }]);
    expect(second.nextCursor).toBeNull();

    const all = await h.client.call('threads.media', { threadId: sent.threadId });
    expect(all.items.map((i) => i.attachment.id)).toEqual([...first.items, ...second.items].map((i) => i.attachment.id));
  });

  it('refuses an unknown thread and a forged cursor', async () => {
    await expect(h.client.call('threads.media', { threadId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { threads } = await h.client.call('threads.list', {});
    await expect(h.client.call('threads.media', { threadId: threads[0]!.id, before: 'garbage' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('naming a contact updates its threads for every window (thread.updated), and so does deleting it', async () => {
    const { threads } = await h.client.call('threads.list', {});
    const thread = threads.find((t) => t.participants.includes(CUSTOMER))!;
    const named = h.next('thread.updated', (p) => p.thread.id === thread.id && p.thread.names[CUSTOMER] === 'Dana Scully');
    await h.client.call('contacts.upsert', { number: CUSTOMER, name: 'Dana Scully', notes: 'prefers texts' });
    await named;
    const unnamed = h.next('thread.updated', (p) => p.thread.id === thread.id && p.thread.names[CUSTOMER] === undefined);
    await h.client.call('contacts.delete', { number: CUSTOMER });
    await unnamed;
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../../shared/ipc/schemas';
import { CoreHarness, customerTexts } from '../../../../tests/support/coreHarness';
import { aMessage } from '../../testing/fixtures';
import { mergeMessages, useConversationStore } from './conversationStore';

beforeEach(() => useConversationStore.getState().close());

describe('conversation store', () => {
  it('merges by id and keeps display order', () => {
    const a = aMessage({ id: 'a', createdAt: 1 });
    const b = aMessage({ id: 'b', createdAt: 2 });
    expect(mergeMessages([b], [a, { ...b, status: 'failed' }]).map((m) => [m.id, m.status])).toEqual([
      ['a', 'delivered'],
      ['b', 'failed'],
    ]);
  });
});

describe('conversation store against the real core', () => {
  const h = new CoreHarness();
  const US = '+19195550100';
  const history: Message[] = [];
  beforeAll(async () => {
    await h.start();
    // 60 messages: more than the 50 a page holds.
    for (let i = 0; i < 60; i++) history.push(await customerTexts(h, '+19195551234', US, `Question ${i}`));
  });
  afterAll(() => h.stop());

  /** Resolves with the message once it reached one of `statuses`. */
  const settled = async (message: Message, statuses: Message['status'][]) =>
    statuses.includes(message.status) ? message : (await h.next('message.statusChanged', (p) => p.message.id === message.id && statuses.includes(p.message.status))).message;

  it('opens a thread at its newest page and prepends older pages', async () => {
    await useConversationStore.getState().open(h.client, history[0]!.threadId);
    expect(useConversationStore.getState().messages.map((m) => m.text)).toEqual(history.slice(10).map((m) => m.text));
    expect(useConversationStore.getState().olderCursor).not.toBeNull();
    await useConversationStore.getState().loadOlder(h.client);
    expect(useConversationStore.getState().messages.map((m) => m.id)).toEqual(history.map((m) => m.id));
    expect(useConversationStore.getState().olderCursor).toBeNull();
  });

  it('shows a refused open as an error instead of throwing', async () => {
    await useConversationStore.getState().open(h.client, 'no-such-thread');
    expect(useConversationStore.getState().error).toBeTruthy();
    expect(useConversationStore.getState().loading).toBeNull();
  });

  it('takes events for the open thread only, and not into a search slice of the past', async () => {
    const old = history[5]!;
    await useConversationStore.getState().open(h.client, old.threadId, old.id);
    expect(useConversationStore.getState().highlightId).toBe(old.id);
    expect(useConversationStore.getState().newerCursor).not.toBeNull();
    const shown = useConversationStore.getState().messages.map((m) => m.id);
    const elsewhere = await customerTexts(h, '+19195553333', US, 'Another customer');
    useConversationStore.getState().upsert(elsewhere);
    const newest = await customerTexts(h, '+19195551234', US, 'Newest question');
    useConversationStore.getState().upsert(newest);
    useConversationStore.getState().upsert({ ...old, text: 'edited' });
    expect(useConversationStore.getState().messages.map((m) => m.id)).toEqual(shown);
    expect(useConversationStore.getState().messages.find((m) => m.id === old.id)?.text).toBe('edited');
  });

  it("shows the agent's own new message at once, opening the newest page from a slice of the past", async () => {
    const store = useConversationStore.getState;
    const send = async (text: string) => (await h.client.call('messages.send', { from: US, to: ['+19195551234'], text })).message;
    await store().open(h.client, history[0]!.threadId, history[0]!.id);
    expect(store().newerCursor).not.toBeNull();
    const fromThePast = await send('Sent while reading the first questions');
    await store().sent(h.client, fromThePast);
    expect(store().newerCursor).toBeNull();
    expect(store().messages.at(-1)?.id).toBe(fromThePast.id);
    expect(store().highlightId).toBeNull();
    const atTheBottom = await send('Sent at the bottom');
    expect(await store().sent(h.client, atTheBottom)).toBe(true);
    expect(store().messages.at(-1)?.id).toBe(atTheBottom.id);
    // Not into another thread's view.
    const elsewhere = (await h.client.call('messages.send', { from: US, to: ['+19195559999'], text: 'Elsewhere' })).message;
    expect(await store().sent(h.client, elsewhere)).toBe(false);
    expect(store().messages.some((m) => m.id === elsewhere.id)).toBe(false);
  });

  it('retries a failed message, and records why the engine refused a retry', async () => {
    // The Sandbox fails +1 919 555 CCCC with error CCCC; 4702 is the phone being unavailable.
    const failed = await settled((await h.client.call('messages.send', { from: US, to: ['+19195554702'], text: 'Your order shipped.' })).message, ['failed']);
    await useConversationStore.getState().open(h.client, failed.threadId);
    await useConversationStore.getState().retry(h.client, failed.id);
    expect(useConversationStore.getState().actionErrors[failed.id]).toBeUndefined();
    expect(useConversationStore.getState().messages.find((m) => m.id === failed.id)?.status).not.toBe('failed');

    // Only a failed message can be retried: the engine refuses one that was received.
    const received = history[0]!;
    await useConversationStore.getState().open(h.client, received.threadId);
    await useConversationStore.getState().retry(h.client, received.id);
    expect(useConversationStore.getState().actionErrors[received.id]).toMatch(/Only a failed message/);
  });
});

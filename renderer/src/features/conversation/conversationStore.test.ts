import { beforeEach, describe, expect, it } from 'vitest';
import { aMessage } from '../../testing/fixtures';
import { scriptedClient } from '../../testing/scriptedClient';
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

  it('opens a thread at its newest page and prepends older pages', async () => {
    const newest = [aMessage({ id: 'c', createdAt: 3 }), aMessage({ id: 'd', createdAt: 4 })];
    const older = [aMessage({ id: 'a', createdAt: 1 }), aMessage({ id: 'b', createdAt: 2 })];
    const { client, calls } = scriptedClient({
      'messages.list': (input) =>
        input.before ? { messages: older, olderCursor: null, newerCursor: null } : { messages: newest, olderCursor: 'cur-1', newerCursor: null },
    });
    await useConversationStore.getState().open(client, 't1');
    await useConversationStore.getState().loadOlder(client);
    expect(useConversationStore.getState().messages.map((m) => m.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(calls.at(-1)?.input).toMatchObject({ threadId: 't1', before: 'cur-1' });
    expect(useConversationStore.getState().olderCursor).toBeNull();
  });

  it('shows a missing handler as an error instead of throwing', async () => {
    const { client } = scriptedClient({});
    await useConversationStore.getState().open(client, 't1');
    expect(useConversationStore.getState().error).toMatch(/not available/);
    expect(useConversationStore.getState().loading).toBeNull();
  });

  it('takes events for the open thread only, and not into a search slice of the past', async () => {
    const { client } = scriptedClient({ 'messages.list': () => ({ messages: [aMessage({ id: 'x' })], olderCursor: null, newerCursor: 'n1' }) });
    await useConversationStore.getState().open(client, 't1', 'x');
    expect(useConversationStore.getState().highlightId).toBe('x');
    useConversationStore.getState().upsert(aMessage({ id: 'other-thread', threadId: 't2' }));
    useConversationStore.getState().upsert(aMessage({ id: 'new' }));
    useConversationStore.getState().upsert(aMessage({ id: 'x', status: 'failed' }));
    expect(useConversationStore.getState().messages.map((m) => [m.id, m.status])).toEqual([['x', 'failed']]);
  });

  it('retries a failed message and records why a retry was refused', async () => {
    const failed = aMessage({ id: 'f', status: 'failed', errorCode: 4720 });
    let refuse = true;
    const { client } = scriptedClient({
      'messages.list': () => ({ messages: [failed], olderCursor: null, newerCursor: null }),
      'messages.retry': () => {
        if (refuse) throw new Error('never');
        return { message: { ...failed, status: 'queued' } };
      },
    });
    await useConversationStore.getState().open(client, 't1');
    await useConversationStore.getState().retry(client, 'f');
    expect(useConversationStore.getState().actionErrors.f).toBeTruthy();
    refuse = false;
    await useConversationStore.getState().retry(client, 'f');
    expect(useConversationStore.getState().actionErrors.f).toBeUndefined();
    expect(useConversationStore.getState().messages[0]?.status).toBe('queued');
  });
});

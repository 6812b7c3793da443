import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Thread } from '../../../../shared/ipc/schemas';
import { CoreHarness, customerTexts } from '../../../../tests/support/coreHarness';
import { markReadWhenSettled, READ_AFTER_MS } from './afterOpen';
import { useThreadsStore } from './threadsStore';

describe('marking read against the real core', () => {
  const h = new CoreHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('reads only the thread the agent stops on, not the ones passed on the way', async () => {
    // The toll-free number hears only from the customers a test makes up.
    const passed = await customerTexts(h, '+16465552001', '+18885550102', 'Where is my order?');
    const stopped = await customerTexts(h, '+16465552002', '+18885550102', 'Can I return this?');
    const unread = async (threadId: string) => (await h.client.call('threads.get', { threadId })).thread.unread;

    // As the arrow keys do: each thread opened selects it and asks for it to be read; the next one comes at once.
    const read = new Promise<Thread>((resolve) => {
      useThreadsStore.getState().select(passed.threadId);
      markReadWhenSettled(h.client, passed.threadId, () => resolve({ id: 'wrong thread' } as Thread));
      useThreadsStore.getState().select(stopped.threadId);
      markReadWhenSettled(h.client, stopped.threadId, resolve);
    });
    expect((await read).id).toBe(stopped.threadId);
    expect(await unread(stopped.threadId)).toBe(0);
    expect(await unread(passed.threadId)).toBe(1);
  });

  it('leaves a thread unread when the selection moved away before the time was up', async () => {
    const left = await customerTexts(h, '+16465552003', '+18885550102', 'Hello?');
    useThreadsStore.getState().select(left.threadId);
    markReadWhenSettled(h.client, left.threadId, () => {});
    useThreadsStore.getState().select(null);
    // Node runs timers in order of their deadlines: the pending read has had its turn when this one fires.
    await new Promise((resolve) => setTimeout(resolve, READ_AFTER_MS + 50));
    expect((await h.client.call('threads.get', { threadId: left.threadId })).thread.unread).toBe(1);
  });
});

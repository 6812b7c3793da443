import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainFailure } from '../../shared/domain/errorCodes';
import type { Message } from '../../shared/ipc/schemas';
import { CoreHarness } from '../support/coreHarness';

const OURS = '+19195550100';

/**
 * REFERENCE.md §6.2: a carrier's service failure (5xxx) is worth one retry, no more. The Retry button and the
 * `messages.retry` method follow the same rule, counted per message across restarts.
 */
describe('a failure worth one more try is retried at most once', () => {
  const h = new CoreHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const failedAgain = (id: string) => h.next('message.statusChanged', ({ message }) => message.id === id && message.status === 'failed');
  const sentTo = async (number: string) =>
    (await h.control<{ messages: { to: string[]; text: string }[] }>('/messages')).messages.filter((m) => m.to.includes(number)).map((m) => m.text);

  it('offers and allows one retry of a carrier 5600, then refuses another with a clear error', async () => {
    const carrierQueueFull = '+19195555600';
    const { message } = await h.client.call('messages.send', { from: OURS, to: [carrierQueueFull], text: 'once more, no more' });
    let failed: Message = (await failedAgain(message.id)).message;
    expect(failed).toMatchObject({ errorCode: 5600, retries: 0 });
    expect(explainFailure(failed, false).canRetry).toBe(true);

    const again = failedAgain(message.id);
    expect((await h.client.call('messages.retry', { messageId: message.id })).message).toMatchObject({ status: 'queued', retries: 1 });
    failed = (await again).message;
    expect(failed).toMatchObject({ errorCode: 5600, retries: 1 });
    expect(explainFailure(failed, false).canRetry).toBe(false);

    // The count is stored: a restart does not give the retry back.
    await h.restart();
    await expect(h.client.call('messages.retry', { messageId: message.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/retried once already/) });
    const [stored] = (await h.client.call('messages.list', { threadId: message.threadId })).messages.filter((m) => m.id === message.id);
    expect(stored).toMatchObject({ status: 'failed', retries: 1 });
    expect(await sentTo(carrierQueueFull)).toEqual(['once more, no more', 'once more, no more']);
  });

  it('keeps offering Retry for a failure worth trying again later (4702, the phone was off)', async () => {
    const { message } = await h.client.call('messages.send', { from: OURS, to: ['+19195554702'], text: 'are you back?' });
    await failedAgain(message.id);
    for (const retries of [1, 2]) {
      const again = failedAgain(message.id);
      await h.client.call('messages.retry', { messageId: message.id });
      const failed = (await again).message;
      expect(failed.retries).toBe(retries);
      expect(explainFailure(failed, false).canRetry).toBe(true);
    }
  });
});

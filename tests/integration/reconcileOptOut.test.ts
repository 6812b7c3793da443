import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreHarness } from '../support/coreHarness';

const OURS = '+19195550100';
/** The simulator fails every send to this number with 4775 (electron/main/sandbox/README.md). */
const OPTED_OUT = '+19195554775';

describe('a 4775 recovered by reconciliation', () => {
  const h = new CoreHarness({ timeScale: 1, seed: 21 }, { engine: { reconcile: { everyMs: 250, quietForMs: 300 } } });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('opts the recipient out as the status callback would: the thread is flagged and the next send refused', async () => {
    const response = await fetch(`${h.controlUrl}/settings`, { method: 'PATCH', body: JSON.stringify({ callbackDropRate: 1 }) });
    expect(response.status).toBe(200);
    const { message } = await h.client.call('messages.send', { from: OURS, to: [OPTED_OUT], text: 'lost receipt, opted out' });
    const failed = await h.next('message.statusChanged', (p) => p.message.id === message.id && p.message.status === 'failed');
    expect(failed.message.errorCode).toBe(4775);
    expect((await h.client.call('threads.get', { threadId: message.threadId })).thread.optedOut).toBe(true);
    await expect(h.client.call('messages.send', { from: OURS, to: [OPTED_OUT], text: 'again' })).rejects.toMatchObject({ code: 'OPTED_OUT' });
  });
});

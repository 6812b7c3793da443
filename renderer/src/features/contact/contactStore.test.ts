import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreHarness } from '../../../../tests/support/coreHarness';
import { useContactStore } from './contactStore';

const OURS = '+19195550100';
const CUSTOMER = '+19195557001';
const OTHER = '+19195557002';

describe('contact panel store against the real core', () => {
  const h = new CoreHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('loads the participants and the gallery a page at a time, and saves names with the core’s validation', async () => {
    await h.client.call('contacts.upsert', { number: CUSTOMER, name: 'Ada', notes: 'VIP' });
    let threadId = '';
    // 4 × 8 pictures: more than one page of the panel's 30.
    for (let i = 0; i < 4; i++) {
      const ready = h.next('message.updated', ({ message }) => message.text === `batch ${i}` && message.attachments.every((a) => a.state === 'ready'), 30_000);
      await h.client.call('sandbox.simulateInbound', { from: CUSTOMER, to: [OURS, OTHER], text: `batch ${i}`, images: 8 });
      threadId = (await ready).message.threadId;
    }

    const store = useContactStore.getState();
    await store.load(h.client, threadId, [CUSTOMER, OTHER]);
    let s = useContactStore.getState();
    expect(Object.keys(s.contacts)).toEqual([CUSTOMER]);
    expect(s.contacts[CUSTOMER]).toMatchObject({ name: 'Ada', notes: 'VIP' });
    expect(s.media).toHaveLength(30);
    expect(s.mediaCursor).not.toBeNull();
    await store.loadMoreMedia(h.client);
    s = useContactStore.getState();
    expect(s.media).toHaveLength(32);
    expect(new Set(s.media.map((m) => m.attachment.id)).size).toBe(32);
    expect(s.mediaCursor).toBeNull();

    expect(await store.save(h.client, { number: OTHER, name: '  ', notes: '' })).toBe(false);
    expect(useContactStore.getState().saveErrors[OTHER]).toMatch(/name/i);
    expect(useContactStore.getState().contacts[OTHER]).toBeUndefined();
    const renamed = h.next('thread.updated', ({ thread }) => thread.id === threadId && thread.names[OTHER] === 'Grace');
    expect(await store.save(h.client, { number: OTHER, name: 'Grace', notes: 'Site lead' })).toBe(true);
    await renamed;
    s = useContactStore.getState();
    expect(s.saveErrors[OTHER]).toBeUndefined();
    expect(s.contacts[OTHER]).toMatchObject({ name: 'Grace', notes: 'Site lead' });
  });
});

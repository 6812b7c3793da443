import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/ipc/errors';
import { CoreHarness } from '../../../../tests/support/coreHarness';
import { useSettingsStore } from './settingsStore';

describe('settings forms against the real core', () => {
  const h = new CoreHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('the core refuses a no-receipt delay out of range, saying the range, and keeps what was saved', async () => {
    const before = await h.client.call('settings.get', {});
    for (const noReceiptAfterMs of [0, -5 * 60_000, 999, 99_999_999 * 60_000, 7 * 86_400_000 + 1, 90_000.5]) {
      const refused = await h.client.call('settings.update', { noReceiptAfterMs }).catch((e: unknown) => e);
      expect(refused, String(noReceiptAfterMs)).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('INVALID_INPUT');
      if (noReceiptAfterMs !== 90_000.5) expect((refused as AppError).message).toContain('must be from 1 second (1000 ms) to 7 days (604800000 ms)');
    }
    expect(await h.client.call('settings.get', {})).toEqual(before);
    for (const noReceiptAfterMs of [1000, 7 * 86_400_000]) {
      expect((await h.client.call('settings.update', { noReceiptAfterMs })).noReceiptAfterMs).toBe(noReceiptAfterMs);
    }
    await h.client.call('settings.update', { noReceiptAfterMs: before.noReceiptAfterMs });
  });

  it('a form shows what the core refused in plain words, without the method it checked', async () => {
    const store = useSettingsStore.getState();
    await store.load(h.client);
    expect(await store.upsertContact(h.client, { number: '12345', name: 'Nobody' })).toBe(false);
    expect(useSettingsStore.getState().feedback).toEqual({
      section: 'contacts',
      ok: false,
      text: '12345 is not a phone number we can text. Enter a US or Canadian number, or +country code and number.',
    });
    expect((await h.client.call('contacts.list', {})).contacts).toEqual([]);

    expect(await store.update(h.client, { noReceiptAfterMs: 0 }, 'messaging')).toBe(false);
    expect(useSettingsStore.getState().feedback).toEqual({ section: 'messaging', ok: false, text: 'noReceiptAfterMs: must be from 1 second (1000 ms) to 7 days (604800000 ms)' });
  });
});

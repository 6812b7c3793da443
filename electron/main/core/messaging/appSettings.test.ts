import { describe, expect, it } from 'vitest';
import { NO_RECEIPT_AFTER_MS } from '../../../../shared/ipc/schemas';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { DEFAULT_SETTINGS, readSettings, updateSettings } from './appSettings';

describe('app settings', () => {
  const temp = useTempDatabase('sb-settings-');
  const storeRaw = (value: unknown) => temp.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('app', ?)").run(JSON.stringify(value));

  it('read a no-receipt delay saved before its range was enforced as the nearest value in range', () => {
    storeRaw({ ...DEFAULT_SETTINGS, noReceiptAfterMs: 30 * 86_400_000 });
    expect(readSettings(temp.db).noReceiptAfterMs).toBe(NO_RECEIPT_AFTER_MS.max);
    storeRaw({ ...DEFAULT_SETTINGS, noReceiptAfterMs: 1 });
    expect(readSettings(temp.db).noReceiptAfterMs).toBe(NO_RECEIPT_AFTER_MS.min);
  });

  it('refuse a new delay out of range, and still report a corrupt stored value', () => {
    expect(() => updateSettings(temp.db, { noReceiptAfterMs: 30 * 86_400_000 })).toThrow(/7 days/);
    storeRaw({ ...DEFAULT_SETTINGS, theme: 'purple' });
    expect(() => readSettings(temp.db)).toThrow(/theme/);
  });
});

import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { recordCallbackEvent } from '../store/callbackEvents';
import type { EngineContext } from './context';
import { CALLBACK_RECORDS_KEPT_MS, createEngine } from './engine';

describe('housekeeping', () => {
  const temp = useTempDatabase('sb-engine-');

  it('forgets callback records once Bandwidth can no longer retry them, and keeps the recent ones', async () => {
    const now = 1_800_000_000_000;
    const ctx = {
      db: temp.db,
      clock: { now: () => now, setTimeout: () => ({ cancel() {} }) },
      logger: { info() {}, warn() {}, error() {} },
      bus: { emit() {} },
      dataDir: temp.db.name.replace(/\/switchboard\.db$/, ''),
      account: { numbers: [] },
    } as unknown as EngineContext;
    const engine = createEngine(ctx);
    const record = (id: string, receivedAt: number) => recordCallbackEvent(temp.db, { messageId: id, type: 'message-delivered', to: '+19195551234', time: '1' }, receivedAt);
    record('old', now - CALLBACK_RECORDS_KEPT_MS - 1);
    record('recent', now - CALLBACK_RECORDS_KEPT_MS + 60_000);
    await engine.housekeep();
    // The recent one is still known (a retry of it is a duplicate); the old one is gone (recording it again succeeds).
    expect(record('recent', now)).toBe(false);
    expect(record('old', now)).toBe(true);
  });
});

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { QueueStatus } from '../../../../shared/ipc/schemas';
import { FakeClock } from '../../../../tests/support/fakeClock';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { DEFAULT_SETTINGS } from './appSettings';
import { storeFile } from '../media/mediaFiles';
import { createAttachment, getAttachment } from '../store/attachments';
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

describe('queue status', () => {
  const temp = useTempDatabase('sb-engine-status-');
  const LOCAL = '+19195550100';
  const text = 'Two segments. '.repeat(14);
  const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('counts what the bubbles show waiting and says when the last goes at its number’s rate, segments counted', async () => {
    const clock = new FakeClock();
    clock.advance(1_000_000);
    const announced: QueueStatus[] = [];
    const answers: (() => void)[] = [];
    const ctx = {
      db: temp.db,
      clock,
      logger: { info() {}, warn() {}, error() {} },
      bus: { emit: (event: string, payload: unknown) => event === 'queue.changed' && announced.push(payload as QueueStatus) },
      dataDir: temp.db.name.replace(/\/switchboard\.db$/, ''),
      // The account's cap (100/s) is far above the number's 1/s: the number's rate is what paces it.
      account: { numbers: [{ number: LOCAL, class: 'local' }, { number: '+19195550103', class: '10dlc' }], accountMps: 100 },
      settings: () => DEFAULT_SETTINGS,
      // Bandwidth answers only when the test says so: the first send stays in flight.
      client: { messaging: { sendMessage: () => new Promise((resolve) => answers.push(() => resolve({ kind: 'accepted', message: { id: `bw-${answers.length}` } }))) } },
    } as unknown as EngineContext;
    const engine = createEngine(ctx, { reconcile: { everyMs: 3_600_000 } });
    await engine.start();
    const send = (i: number) => engine.send({ from: LOCAL, to: [`+1984555017${i}`], text });
    const first = await send(0);
    expect(first.segments).toBe(2);
    await later(150);
    // The first went at once (the number's one-second burst) and is in flight; the other three wait for the limiter.
    await Promise.all([1, 2, 3].map(send));
    await later(150);
    const now = clock.now();
    const status = engine.status();
    // Four clocks on four bubbles; at 1 segment a second, 2 segments each: the next in 1 s, the last in 5 s.
    expect(status).toEqual({ depth: 4, scheduled: 0, nextSendAt: now + 1000, drainedBy: now + 5000 });
    // And the status bar was told, although nothing was sent since the first.
    expect(announced.at(-1)).toEqual(status);
    for (const answer of answers) answer();
    await engine.stop();
  });
});

describe('start', () => {
  const temp = useTempDatabase('sb-engine-start-');

  it('measures the pictures stored before sizes were recorded, in the background', async () => {
    const dataDir = temp.db.name.replace(/\/switchboard\.db$/, '');
    const file = await storeFile(dataDir, await sharp({ create: { width: 120, height: 80, channels: 3, background: '#888' } }).png().toBuffer());
    const id = createAttachment(temp.db, { name: 'old.png', contentType: 'image/png', size: file.size, sha256: file.sha256, path: file.path, state: 'ready', createdAt: 1 }).id;
    const ctx = {
      db: temp.db,
      clock: new FakeClock(),
      logger: { info() {}, warn() {}, error() {} },
      bus: { emit() {} },
      dataDir,
      account: { numbers: [] },
      settings: () => DEFAULT_SETTINGS,
      client: { messaging: {} },
    } as unknown as EngineContext;
    const engine = createEngine(ctx);
    await engine.start();
    for (let waited = 0; getAttachment(temp.db, id)!.width === null; waited += 10) {
      if (waited > 5000) throw new Error('the picture was never measured');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(getAttachment(temp.db, id)).toMatchObject({ width: 120, height: 80 });
    await engine.stop();
  });
});

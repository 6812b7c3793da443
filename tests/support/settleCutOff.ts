import { analyzeSegments } from '../../shared/domain/segments';
import { threadKey } from '../../shared/domain/threadKey';
import type { BandwidthClient } from '../../electron/main/core/bandwidth/client';
import { DEFAULT_SETTINGS } from '../../electron/main/core/messaging/appSettings';
import type { EngineContext } from '../../electron/main/core/messaging/context';
import type { MediaService } from '../../electron/main/core/messaging/media';
import { createOutbound } from '../../electron/main/core/messaging/outbound';
import type { SendQueue } from '../../electron/main/core/queue/sendQueue';
import type { Db } from '../../electron/main/core/store/database';
import { getMessage, insertMessage } from '../../electron/main/core/store/messages';
import { enqueue, getJob, markInFlight } from '../../electron/main/core/store/queue';
import { upsertThread } from '../../electron/main/core/store/threads';
import type { FakeClock } from './fakeClock';

/**
 * Crash settlement of one text from `from` to `to` whose request was out since `since` when the app stopped: the
 * message and its in-flight job are written, then settled now with `client` as Bandwidth. What it left: the job (null
 * once settled), the message, our segment count, and whether a look-up is to be tried again.
 */
export async function settleCutOff(db: Db, clock: FakeClock, client: { messaging: Pick<BandwidthClient['messaging'], 'listMessages'> }, send: { from: string; to: string; text: string; since: number }) {
  const { from, to, text, since } = send;
  const thread = upsertThread(db, threadKey(from, [to]), since);
  const { segments, encoding } = analyzeSegments(text);
  const { id } = insertMessage(db, { threadId: thread.id, direction: 'out', from, to: [to], text, status: 'queued', createdAt: since, segments, encoding });
  enqueue(db, { messageId: id, nextAttemptAt: since, at: since });
  markInFlight(db, id, since);
  const ctx = {
    db,
    clock,
    logger: { info() {}, warn() {}, error() {} },
    bus: { emit() {} },
    dataDir: '',
    account: { numbers: [{ number: from, class: 'local' }] },
    settings: () => DEFAULT_SETTINGS,
    client,
  } as unknown as EngineContext;
  const queue = { wake() {}, refill: () => () => {}, pauseUntil() {} } as unknown as SendQueue;
  const outbound = createOutbound(ctx, () => queue, {} as MediaService, { settleDelayMs: 0 });
  await outbound.settleInFlight();
  const retrying = clock.pending().length > 0;
  outbound.stop();
  return { job: getJob(db, id), message: getMessage(db, id)!, segments, retrying };
}

import { describe, expect, it } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { Settings } from '../../../../shared/ipc/schemas';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import type { ListedMessage } from '../bandwidth/messaging';
import { acceptMessage, advanceMessageStatus, getMessage, insertMessage, retryMessage, setBandwidthId } from '../store/messages';
import { optedOutAmong, recordOptIn } from '../store/optOuts';
import { getThread, upsertThread } from '../store/threads';
import type { EngineContext } from './context';
import { createReconciler } from './reconcile';

const OURS = '+19195550100';
const ANN = '+19195551234';
const T = 1_700_000_000_000;

describe('reconciliation of a failure', () => {
  const temp = useTempDatabase('sb-reconcile-');

  /** An accepted message to Ann, Bandwidth's id bw-A, whose receipt never came; the list answers with `row`. */
  function setUp(row: Partial<ListedMessage>, answer?: Promise<void>) {
    const thread = upsertThread(temp.db, threadKey(OURS, [ANN]), 1).id;
    const { id } = insertMessage(temp.db, { threadId: thread, direction: 'out', from: OURS, to: [ANN], text: 'hi', status: 'queued', createdAt: T, segments: 1, encoding: 'GSM-7' });
    advanceMessageStatus(temp.db, id, { status: 'accepted', at: T + 1 });
    setBandwidthId(temp.db, id, 'bw-A', T + 1);
    const listed = { messageId: 'bw-A', destinationTn: ANN, messageStatus: 'FAILED', errorCode: 4775, receiveTime: T, ...row };
    const ctx = {
      db: temp.db,
      clock: { now: () => T + 60_000 },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      bus: { emit: () => {} },
      settings: () => ({ noReceiptAfterMs: 3_600_000 }) as Settings,
      client: { messaging: { listMessages: async () => (await answer, { totalCount: 1, messages: [listed], nextPageToken: null, prevPageToken: null }) } },
    } as unknown as EngineContext;
    return { id, thread, reconciler: createReconciler(ctx, { quietForMs: 0 }) };
  }

  it('opts the recipient out when the list says 4775, as the status callback would', async () => {
    const { id, thread, reconciler } = setUp({});
    expect(await reconciler.run()).toBe(1);
    expect(getMessage(temp.db, id)).toMatchObject({ status: 'failed', errorCode: 4775 });
    expect(optedOutAmong(temp.db, OURS, [ANN])).toEqual([ANN]);
    expect(getThread(temp.db, thread)!.optedOut).toBe(true);
  });

  it('opts nobody out for any other failure', async () => {
    const { reconciler } = setUp({ errorCode: 4720 });
    expect(await reconciler.run()).toBe(1);
    expect(optedOutAmong(temp.db, OURS, [ANN])).toEqual([]);
  });

  it('does not undo a START the customer sent after the failed send', async () => {
    const { reconciler } = setUp({});
    recordOptIn(temp.db, OURS, ANN, T + 30_000);
    expect(await reconciler.run()).toBe(1);
    expect(optedOutAmong(temp.db, OURS, [ANN])).toEqual([]);
  });

  it('leaves a message alone that the agent retried while its lookup was out', async () => {
    let answer!: () => void;
    const { id, reconciler } = setUp({ errorCode: 4720 }, new Promise<void>((resolve) => (answer = resolve)));
    const pass = reconciler.run();
    // The lookup of bw-A is out: bw-A fails by callback, the agent retries, and the retry is accepted as bw-B.
    advanceMessageStatus(temp.db, id, { status: 'failed', at: T + 2, errorCode: 4720 });
    retryMessage(temp.db, id, T + 3);
    temp.db.transaction(() => acceptMessage(temp.db, id, 'bw-B', T + 4))();
    answer();
    expect(await pass).toBe(0);
    expect(getMessage(temp.db, id)).toMatchObject({ status: 'accepted', bandwidthId: 'bw-B', errorCode: null });
  });
});

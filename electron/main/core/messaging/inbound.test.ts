import { describe, expect, it } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { Message } from '../../../../shared/ipc/schemas';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { callbackBody } from '../callbacks/schema';
import { advanceMessageStatus, getMessage, insertMessage, setBandwidthId } from '../store/messages';
import { upsertThread } from '../store/threads';
import type { EngineContext } from './context';
import { bandwidthTag } from './context';
import { createInbound } from './inbound';
import type { MediaService } from './media';

const OURS = '+19195550100';
const ANN = '+19195551234';
const BOB = '+19195555678';

/** A status callback as Bandwidth posts it (REFERENCE.md §6), for one recipient. */
function status(type: string, id: string, to: string, extra: { tag?: string; errorCode?: number; time?: number } = {}) {
  const time = new Date(extra.time ?? 1_700_000_000_000).toISOString();
  return callbackBody.parse([
    { type, time, to, description: 'status', errorCode: extra.errorCode, message: { id, time, direction: 'out', to: [ANN, BOB], from: OURS, text: '', tag: extra.tag } },
  ]);
}

describe('status callbacks', () => {
  const temp = useTempDatabase('sb-inbound-');

  it('announce each change with the message exactly as stored, read once for the step', async () => {
    let now = 100;
    const changed: Message[] = [];
    const ctx = {
      db: temp.db,
      clock: { now: () => now },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      bus: { emit: (event: string, payload: { message?: Message }) => void (event === 'message.statusChanged' && changed.push(payload.message!)) },
    } as unknown as EngineContext;
    const inbound = createInbound(ctx, {} as MediaService, () => {});
    const thread = upsertThread(temp.db, threadKey(OURS, [ANN, BOB]), 1).id;
    const send = (id: string) => {
      const message = insertMessage(temp.db, { threadId: thread, direction: 'out', from: OURS, to: [ANN, BOB], text: 'hi both', status: 'queued', createdAt: 1, segments: 1, encoding: 'GSM-7' });
      advanceMessageStatus(temp.db, message.id, { status: 'accepted', at: 2 });
      if (id) setBandwidthId(temp.db, message.id, id, 2);
      return message.id;
    };
    const known = send('bw-1');
    // Recorded before Bandwidth's id: found by our tag, and the id is kept.
    const tagged = send('');

    const expectStored = () => {
      for (const message of changed.splice(0)) expect(message).toEqual(getMessage(temp.db, message.id));
    };
    now = 200;
    await inbound.ingest(status('message-delivered', 'bw-1', ANN));
    expect(changed[0]).toMatchObject({ id: known, status: 'accepted', updatedAt: 200, deliveries: [{ recipient: ANN, status: 'delivered' }, { recipient: BOB, status: 'accepted' }] });
    expectStored();
    now = 300;
    await inbound.ingest(status('message-failed', 'bw-1', BOB, { errorCode: 4720 }));
    expect(changed[0]).toMatchObject({ status: 'delivered', errorCode: 4720, deliveries: [{ status: 'delivered' }, { status: 'failed', errorCode: 4720, updatedAt: 300 }] });
    expectStored();
    // A late event moves nothing and announces nothing.
    await inbound.ingest(status('message-sent', 'bw-1', ANN, { time: 1_700_000_000_001 }));
    expect(changed).toEqual([]);

    now = 400;
    await inbound.ingest(status('message-sent', 'bw-2', ANN, { tag: bandwidthTag(tagged) }));
    expect(changed[0]).toMatchObject({ id: tagged, bandwidthId: 'bw-2', status: 'accepted', updatedAt: 400 });
    expectStored();
  });
});

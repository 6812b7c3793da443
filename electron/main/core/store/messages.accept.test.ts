import { beforeEach, describe, expect, it } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { Message } from '../../../../shared/ipc/schemas';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import type { Db } from './database';
import { acceptMessage, advanceDeliveryStatus, deleteMessage, getMessage, insertMessage, stepMessageStatus } from './messages';
import { upsertThread } from './threads';

const OUR = '+19195550100';
const ALICE = '+19195551234';
const BOB = '+19195559999';

const temp = useTempDatabase('switchboard-accept-');
let db: Db;
beforeEach(() => (db = temp.db));

function queued(to: string[]): Message {
  const thread = upsertThread(db, threadKey(OUR, to), 1);
  return insertMessage(db, { threadId: thread.id, direction: 'out', from: OUR, to, text: 'hello', status: 'queued', createdAt: 1, segments: 1, encoding: 'GSM-7' });
}

const accept = (sent: Message, bandwidthId: string, at: number) => db.transaction(() => acceptMessage(db, sent, bandwidthId, at))();

describe('acceptMessage', () => {
  it('writes the id and `accepted` and, when nothing changed since the message was read, builds it exactly as stored', () => {
    const sent = queued([ALICE, BOB]);
    const built = accept(sent, 'bw-1', 50);
    expect(built).toEqual(getMessage(db, sent.id));
    expect(built).toMatchObject({ status: 'accepted', bandwidthId: 'bw-1', updatedAt: 50, deliveries: [{ status: 'accepted', updatedAt: 50 }, { status: 'accepted', updatedAt: 50 }] });
  });

  it('still writes the step but asks for a read when a callback moved a recipient since', () => {
    const sent = queued([ALICE, BOB]);
    advanceDeliveryStatus(db, sent.id, ALICE, { status: 'delivered', at: 40 });
    expect(accept(sent, 'bw-2', 50)).toBe('changed');
    expect(getMessage(db, sent.id)).toMatchObject({ bandwidthId: 'bw-2', deliveries: [{ recipient: ALICE, status: 'delivered' }, { recipient: BOB, status: 'accepted' }] });
  });

  it('asks for a read after the `sending` step, and records the id even when the status cannot move', () => {
    const sent = queued([ALICE]);
    stepMessageStatus(db, sent.id, { status: 'sending', at: 10 });
    expect(accept(sent, 'bw-3', 50)).toBe('changed');
    expect(getMessage(db, sent.id)).toMatchObject({ status: 'accepted', bandwidthId: 'bw-3' });

    const delivered = queued([BOB]);
    advanceDeliveryStatus(db, delivered.id, BOB, { status: 'delivered', at: 40 });
    expect(accept(delivered, 'bw-4', 50)).toBe('changed');
    expect(getMessage(db, delivered.id)).toMatchObject({ status: 'delivered', bandwidthId: 'bw-4', updatedAt: 50 });
  });

  it('answers null for a message that is gone', () => {
    const sent = queued([ALICE]);
    deleteMessage(db, sent.id);
    expect(accept(sent, 'bw-5', 50)).toBeNull();
  });
});

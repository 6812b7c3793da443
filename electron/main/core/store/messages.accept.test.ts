import { beforeEach, describe, expect, it } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { Message } from '../../../../shared/ipc/schemas';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { createAttachment } from './attachments';
import type { Db } from './database';
import { acceptMessage, advanceDeliveryStatus, deleteMessage, getMessage, insertMessage, stepMessageStatus } from './messages';
import { upsertThread } from './threads';

const OUR = '+19195550100';
const ALICE = '+19195551234';
const BOB = '+19195559999';

const temp = useTempDatabase('switchboard-accept-');
let db: Db;
beforeEach(() => (db = temp.db));

function queued(to: string[], attachmentIds: string[] = []): Message {
  const thread = upsertThread(db, threadKey(OUR, to), 1);
  return insertMessage(db, { threadId: thread.id, direction: 'out', from: OUR, to, text: 'hello', status: 'queued', createdAt: 1, segments: 1, encoding: 'GSM-7', attachmentIds });
}

const accept = (sent: Message, bandwidthId: string, at: number) => db.transaction(() => acceptMessage(db, sent.id, bandwidthId, at))();

describe('acceptMessage', () => {
  it('writes the id and `accepted` and returns the message exactly as stored, without reading it back', () => {
    const sent = queued([ALICE, BOB]);
    const built = accept(sent, 'bw-1', 50);
    expect(built).toEqual(getMessage(db, sent.id));
    expect(built).toMatchObject({ status: 'accepted', bandwidthId: 'bw-1', updatedAt: 50, deliveries: [{ status: 'accepted', updatedAt: 50 }, { status: 'accepted', updatedAt: 50 }] });
  });

  it('starts from the message as stored now: a recipient a callback moved keeps its status, error and time', () => {
    const sent = queued([ALICE, BOB]);
    advanceDeliveryStatus(db, sent.id, ALICE, { status: 'failed', at: 40, errorCode: 4720, errorDetail: 'unreachable' });
    const built = accept(sent, 'bw-2', 50);
    expect(built).toEqual(getMessage(db, sent.id));
    expect(built).toMatchObject({
      bandwidthId: 'bw-2',
      errorCode: 4720,
      deliveries: [
        { recipient: ALICE, status: 'failed', errorCode: 4720, updatedAt: 40 },
        { recipient: BOB, status: 'accepted', updatedAt: 50 },
      ],
    });
  });

  it('after the `sending` step, and records the id even when the status cannot move', () => {
    const sent = queued([ALICE]);
    stepMessageStatus(db, sent.id, { status: 'sending', at: 10 });
    expect(accept(sent, 'bw-3', 50)).toEqual(getMessage(db, sent.id));
    expect(getMessage(db, sent.id)).toMatchObject({ status: 'accepted', bandwidthId: 'bw-3' });

    const delivered = queued([BOB]);
    advanceDeliveryStatus(db, delivered.id, BOB, { status: 'delivered', at: 40 });
    expect(accept(delivered, 'bw-4', 50)).toEqual(getMessage(db, delivered.id));
    expect(getMessage(db, delivered.id)).toMatchObject({ status: 'delivered', bandwidthId: 'bw-4', updatedAt: 50 });
  });

  it('carries the files of a message with attachments', () => {
    const file = createAttachment(db, { name: 'a.png', contentType: 'image/png', size: 3, state: 'ready', createdAt: 1 });
    const sent = queued([ALICE], [file.id]);
    const built = accept(sent, 'bw-6', 50)!;
    expect(built.attachments).toHaveLength(1);
    expect(built).toEqual(getMessage(db, sent.id));
  });

  it('answers null for a message that is gone', () => {
    const sent = queued([ALICE]);
    deleteMessage(db, sent.id);
    expect(accept(sent, 'bw-5', 50)).toBeNull();
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { AppError, SchemaError } from '../../shared/ipc/errors';
import { message as messageSchema, thread as threadSchema } from '../../shared/ipc/schemas';
import { threadKey } from '../../shared/domain/threadKey';
import type { Db } from '../../electron/main/core/store/database';
import { encodeCursor } from '../../electron/main/core/store/cursor';
import {
  advanceDeliveryStatus,
  advanceMessageStatus,
  deleteMessage,
  findMessageByBandwidthId,
  getMessage,
  insertMessage,
  listAwaitingReceipt,
  listMessages,
  retryMessage,
  setBandwidthId,
} from '../../electron/main/core/store/messages';
import type { NewMessage } from '../../electron/main/core/store/messages';
import { createAttachment, getAttachment } from '../../electron/main/core/store/attachments';
import { addOptOut, removeOptOut } from '../../electron/main/core/store/optOuts';
import { upsertContact } from '../../electron/main/core/store/contacts';
import { getThread, listThreads, markThreadRead, upsertThread } from '../../electron/main/core/store/threads';
import { useTempDatabase } from '../support/tempDatabase';

const OUR = '+19195550100';
const ALICE = '+19195551234';
const BOB = '+19195559999';

const temp = useTempDatabase('switchboard-history-');
let db: Db;
beforeEach(() => (db = temp.db));

const threadFor = (others: string[], at = 1, our = OUR) => upsertThread(db, threadKey(our, others), at);

function inbound(threadId: string, at: number, text = `in at ${at}`, from = ALICE): NewMessage {
  return { threadId, direction: 'in', from, to: [OUR], text, status: 'received', createdAt: at, segments: 1, encoding: 'GSM-7' };
}
function outbound(threadId: string, at: number, to: string[] = [ALICE], extra: Partial<NewMessage> = {}): NewMessage {
  return { threadId, direction: 'out', from: OUR, to, text: `out at ${at}`, status: 'queued', createdAt: at, segments: 1, encoding: 'GSM-7', ...extra };
}

describe('threads', () => {
  it('keys a thread by normalised participants, whatever their writing or order', () => {
    const a = upsertThread(db, threadKey(OUR, ['(919) 555-1234', '919-555-9999']), 1);
    const b = upsertThread(db, threadKey('919.555.0100', [BOB, ALICE, OUR]), 2);
    expect(b.id).toBe(a.id);
    expect(a).toMatchObject({ ourNumber: OUR, participants: [ALICE, BOB], unread: 0, preview: null, optedOut: false, lastActivityAt: 1 });
    expect(threadFor([ALICE]).id).not.toBe(a.id);
    expect(threadFor([ALICE], 1, '+19195550101').id).not.toBe(threadFor([ALICE]).id);
    expect(threadSchema.parse(a)).toEqual(a);
  });

  it('tracks last activity, unread count and preview as messages arrive, and marks read', () => {
    const t = threadFor([ALICE]);
    insertMessage(db, inbound(t.id, 100, 'Hi, is my order ready?'));
    insertMessage(db, inbound(t.id, 200, 'Hello?'));
    expect(getThread(db, t.id)).toMatchObject({ unread: 2, lastActivityAt: 200, preview: { text: 'Hello?', direction: 'in', status: 'received', hasMedia: false } });
    const sent = insertMessage(db, outbound(t.id, 300));
    expect(getThread(db, t.id)).toMatchObject({ unread: 2, lastActivityAt: 300, preview: { text: 'out at 300', direction: 'out', status: 'queued' } });
    advanceMessageStatus(db, sent.id, { status: 'accepted', at: 301 });
    expect(getThread(db, t.id)!.preview!.status).toBe('accepted');
    expect(markThreadRead(db, t.id).unread).toBe(0);
    expect(() => markThreadRead(db, 'nope')).toThrow(AppError);
  });

  it('shows contact names and the opted-out state of participants', () => {
    const t = threadFor([ALICE, BOB]);
    upsertContact(db, { number: ALICE, name: 'Alice Liddell' }, 1);
    expect(getThread(db, t.id)!.names).toEqual({ [ALICE]: 'Alice Liddell' });
    addOptOut(db, { ourNumber: OUR, number: BOB, optedOutAt: 2, source: 'keyword' });
    expect(getThread(db, t.id)!.optedOut).toBe(true);
    expect(threadFor([BOB]).optedOut).toBe(true);
    expect(threadFor([BOB], 1, '+19195550101').optedOut).toBe(false);
    removeOptOut(db, OUR, BOB);
    expect(getThread(db, t.id)!.optedOut).toBe(false);
  });

  it('pages through every thread newest first with no gaps or repeats, ties included', () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const t = threadFor([`+1919555${String(2000 + i)}`]);
      insertMessage(db, inbound(t.id, 1000 + Math.floor(i / 3), 'x', `+1919555${String(2000 + i)}`));
      ids.push(t.id);
    }
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = listThreads(db, { limit: 5, before });
      seen.push(...page.threads.map((t) => t.id));
      before = page.nextCursor ?? undefined;
      pages++;
    } while (before);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    const activity = seen.map((id) => getThread(db, id)!.lastActivityAt);
    expect([...activity].sort((a, b) => b - a)).toEqual(activity);
  });

  it('filters by view and by our number', () => {
    const quiet = threadFor([ALICE]);
    const unread = threadFor([BOB]);
    const failed = threadFor([ALICE, BOB]);
    const scheduled = threadFor(['+19195552222']);
    const optedOut = threadFor(['+19195553333']);
    const otherSender = threadFor([ALICE], 1, '+19195550101');
    insertMessage(db, outbound(quiet.id, 10));
    insertMessage(db, inbound(unread.id, 11, 'hi', BOB));
    const f = insertMessage(db, outbound(failed.id, 12, [ALICE, BOB]));
    advanceMessageStatus(db, f.id, { status: 'failed', at: 13, errorCode: 4720 });
    insertMessage(db, outbound(scheduled.id, 14, ['+19195552222'], { status: 'scheduled', sendAt: 99 }));
    insertMessage(db, inbound(optedOut.id, 15, 'STOP', '+19195553333'));
    addOptOut(db, { ourNumber: OUR, number: '+19195553333', optedOutAt: 15, source: 'keyword' });
    insertMessage(db, outbound(otherSender.id, 16, [ALICE], { from: '+19195550101' }));
    const ids = (view?: 'all' | 'unread' | 'failed' | 'opted-out' | 'scheduled', ourNumber?: string) =>
      listThreads(db, { view, ourNumber }).threads.map((t) => t.id);
    expect(ids('unread')).toEqual([optedOut.id, unread.id]);
    expect(ids('failed')).toEqual([failed.id]);
    expect(ids('scheduled')).toEqual([scheduled.id]);
    expect(ids('opted-out')).toEqual([optedOut.id]);
    expect(ids('all', '+19195550101')).toEqual([otherSender.id]);
    expect(ids('all', OUR)).toHaveLength(5);
    expect(ids()).toHaveLength(6);
    retryMessage(db, f.id, 20);
    expect(ids('failed')).toEqual([]);
  });

  it('leaves out threads nobody has written in, in every view and number filter, except the one asked for', () => {
    const talked = threadFor([ALICE], 1);
    insertMessage(db, inbound(talked.id, 10));
    const quiet = threadFor([BOB], 20);
    addOptOut(db, { ourNumber: OUR, number: '+19195553333', optedOutAt: 5, source: 'keyword' });
    const quietOptedOut = threadFor(['+19195553333'], 30);
    const quietElsewhere = threadFor([ALICE], 40, '+19195550101');
    const ids = (options: Parameters<typeof listThreads>[1]) => listThreads(db, options).threads.map((t) => t.id);

    expect(ids({})).toEqual([talked.id]);
    expect(ids({ view: 'opted-out' })).toEqual([]);
    expect(ids({ ourNumber: '+19195550101' })).toEqual([]);
    // The open one is listed where it belongs, and only there: `include` lifts no view or number filter.
    expect(ids({ include: quiet.id })).toEqual([quiet.id, talked.id]);
    expect(ids({ view: 'opted-out', include: quietOptedOut.id })).toEqual([quietOptedOut.id]);
    expect(ids({ view: 'unread', include: quiet.id })).toEqual([talked.id]);
    expect(ids({ ourNumber: OUR, include: quietElsewhere.id })).toEqual([talked.id]);
    expect(ids({ ourNumber: '+19195550101', include: quietElsewhere.id })).toEqual([quietElsewhere.id]);

    // Paging agrees: no page promised for threads that are not there, and the open one on the page of its time.
    expect(listThreads(db, { limit: 1 })).toMatchObject({ threads: [{ id: talked.id }], nextCursor: null });
    const first = listThreads(db, { limit: 1, include: quiet.id });
    expect(first.threads.map((t) => t.id)).toEqual([quiet.id]);
    expect(listThreads(db, { limit: 1, include: quiet.id, before: first.nextCursor! })).toMatchObject({ threads: [{ id: talked.id }], nextCursor: null });

    // A first message brings it back, for good; a thread whose only message is cancelled goes again.
    insertMessage(db, inbound(quiet.id, 50, 'hello?', BOB));
    expect(ids({})).toEqual([quiet.id, talked.id]);
    const scheduled = insertMessage(db, outbound(quietOptedOut.id, 60, ['+19195553333'], { status: 'scheduled', sendAt: 99 }));
    expect(ids({ view: 'opted-out' })).toEqual([quietOptedOut.id]);
    deleteMessage(db, scheduled.id);
    expect(ids({ view: 'opted-out' })).toEqual([]);
    expect(ids({ view: 'scheduled' })).toEqual([]);
  });

  it('refuses cursors it did not make', () => {
    for (const bad of ['', 'abc', encodeCursor(1, 'x').slice(0, -1) + '!', Buffer.from('1:x;drop').toString('base64url'), Buffer.from('-1:x').toString('base64url')]) {
      expect(() => listThreads(db, { before: bad }), bad).toThrow(/Invalid page cursor/);
    }
  });
});

describe('messages', () => {
  it('stores a message as the RPC entity, with one delivery per recipient for outbound', () => {
    const t = threadFor([ALICE, BOB]);
    const m = insertMessage(db, outbound(t.id, 50, [ALICE, BOB], { tag: 'ticket-7', priority: 'high', segments: 2, encoding: 'UCS-2' }));
    expect(messageSchema.parse(m)).toEqual(m);
    expect(m).toMatchObject({ direction: 'out', from: OUR, to: [ALICE, BOB], status: 'queued', tag: 'ticket-7', priority: 'high', segments: 2, encoding: 'UCS-2', bandwidthId: null, errorCode: null });
    expect(m.deliveries.map((d) => [d.recipient, d.status])).toEqual([
      [ALICE, 'queued'],
      [BOB, 'queued'],
    ]);
    const received = insertMessage(db, inbound(t.id, 60));
    expect(received.deliveries).toEqual([]);
    expect(getMessage(db, m.id)).toEqual(m);
    expect(getMessage(db, 'missing')).toBeNull();
  });

  it('finds messages by Bandwidth id per direction', () => {
    const t = threadFor([ALICE]);
    const out = insertMessage(db, outbound(t.id, 1));
    setBandwidthId(db, out.id, '1589228074636lm4k2je7j7jklbn2', 2);
    const received = insertMessage(db, { ...inbound(t.id, 3), bandwidthId: '1589228074636lm4k2je7j7jklbn2' });
    expect(findMessageByBandwidthId(db, 'out', '1589228074636lm4k2je7j7jklbn2')!.id).toBe(out.id);
    expect(findMessageByBandwidthId(db, 'in', '1589228074636lm4k2je7j7jklbn2')!.id).toBe(received.id);
    expect(findMessageByBandwidthId(db, 'out', 'unknown')).toBeNull();
  });

  it('links staged attachments in order and refuses unknown or already-sent ones', () => {
    const t = threadFor([ALICE]);
    const a = createAttachment(db, { name: 'a.png', contentType: 'image/png', size: 10, state: 'ready', path: 'media/a', width: 64, height: 32, createdAt: 1 });
    const b = createAttachment(db, { name: 'b.pdf', contentType: 'application/pdf', size: 20, state: 'pending', createdAt: 1 });
    const m = insertMessage(db, outbound(t.id, 5, [ALICE], { attachmentIds: [b.id, a.id] }));
    expect(m.attachments).toEqual([
      { id: b.id, name: 'b.pdf', contentType: 'application/pdf', size: 20, width: null, height: null, url: null, state: 'pending' },
      { id: a.id, name: 'a.png', contentType: 'image/png', size: 10, width: 64, height: 32, url: `/media/${a.id}`, state: 'ready' },
    ]);
    expect(getThread(db, t.id)!.preview!.hasMedia).toBe(true);
    expect(() => insertMessage(db, outbound(t.id, 6, [ALICE], { attachmentIds: [a.id] }))).toThrow(/not a staged attachment/);
    expect(() => insertMessage(db, outbound(t.id, 6, [ALICE], { attachmentIds: ['ghost'] }))).toThrow(/not a staged attachment/);
    // The failed inserts changed nothing.
    expect(listMessages(db, { threadId: t.id }).messages).toHaveLength(1);
    expect(getAttachment(db, a.id)!.messageId).toBe(m.id);
  });

  it('pages a long thread oldest-first by keyset, in both directions, with ties on time', () => {
    const t = threadFor([ALICE]);
    const all = Array.from({ length: 25 }, (_, i) => insertMessage(db, inbound(t.id, 1000 + Math.floor(i / 4))).id);
    const expected = listMessages(db, { threadId: t.id, limit: 100 }).messages.map((m) => m.id);
    expect(new Set(expected)).toEqual(new Set(all));
    const newest = listMessages(db, { threadId: t.id, limit: 10 });
    expect(newest.messages.map((m) => m.id)).toEqual(expected.slice(15));
    expect(newest.newerCursor).toBeNull();
    const older = listMessages(db, { threadId: t.id, limit: 10, before: newest.olderCursor! });
    expect(older.messages.map((m) => m.id)).toEqual(expected.slice(5, 15));
    const oldest = listMessages(db, { threadId: t.id, limit: 10, before: older.olderCursor! });
    expect(oldest.messages.map((m) => m.id)).toEqual(expected.slice(0, 5));
    expect(oldest.olderCursor).toBeNull();
    const forward = listMessages(db, { threadId: t.id, limit: 10, after: oldest.newerCursor! });
    expect(forward.messages.map((m) => m.id)).toEqual(expected.slice(5, 15));
    expect(listMessages(db, { threadId: t.id, limit: 10, after: forward.newerCursor! }).messages.map((m) => m.id)).toEqual(expected.slice(15));
    expect(() => listMessages(db, { threadId: t.id, before: 'x', after: 'y' })).toThrow(/at most one/);
  });

  it('loads a page around a message for a jump from search', () => {
    const t = threadFor([ALICE]);
    const ids = Array.from({ length: 30 }, (_, i) => insertMessage(db, inbound(t.id, 1000 + i)).id);
    const page = listMessages(db, { threadId: t.id, limit: 9, around: ids[10] });
    expect(page.messages.map((m) => m.id)).toEqual(ids.slice(6, 15));
    expect(page.olderCursor).not.toBeNull();
    expect(page.newerCursor).not.toBeNull();
    const nearStart = listMessages(db, { threadId: t.id, limit: 9, around: ids[1] });
    expect(nearStart.messages.map((m) => m.id)).toEqual(ids.slice(0, 9));
    expect(nearStart.olderCursor).toBeNull();
    const other = threadFor([BOB]);
    expect(() => listMessages(db, { threadId: other.id, around: ids[3] })).toThrow(AppError);
  });

  it('refuses a stored JSON column that is not what it should be', () => {
    const t = threadFor([ALICE]);
    const m = insertMessage(db, inbound(t.id, 1));
    db.prepare("UPDATE messages SET to_numbers = '[\"not a number\"]' WHERE id = ?").run(m.id);
    expect(() => getMessage(db, m.id)).toThrow(SchemaError);
    db.prepare("UPDATE messages SET to_numbers = '{oops' WHERE id = ?").run(m.id);
    expect(() => getMessage(db, m.id)).toThrow(/not valid JSON/);
  });

  it('removes a cancelled message and puts the thread back as it was', () => {
    const t = threadFor([ALICE]);
    insertMessage(db, inbound(t.id, 10, 'earlier'));
    const s = insertMessage(db, outbound(t.id, 20, [ALICE], { status: 'scheduled', sendAt: 500 }));
    expect(listThreads(db, { view: 'scheduled' }).threads).toHaveLength(1);
    expect(deleteMessage(db, s.id)).toBe(true);
    expect(deleteMessage(db, s.id)).toBe(false);
    expect(listThreads(db, { view: 'scheduled' }).threads).toHaveLength(0);
    expect(getThread(db, t.id)).toMatchObject({ lastActivityAt: 10, preview: { text: 'earlier' } });
  });
});

describe('delivery status', () => {
  it('moves forward only, ignoring duplicates and late events', () => {
    const t = threadFor([ALICE]);
    const m = insertMessage(db, outbound(t.id, 1));
    const step = (status: Parameters<typeof advanceMessageStatus>[2]['status'], at: number) => advanceDeliveryStatus(db, m.id, ALICE, { status, at });
    expect(advanceMessageStatus(db, m.id, { status: 'sending', at: 2 })).toMatchObject({ changed: true, message: { status: 'sending' } });
    expect(advanceMessageStatus(db, m.id, { status: 'accepted', at: 3 })!.changed).toBe(true);
    expect(step('delivered', 5)).toMatchObject({ changed: true, message: { status: 'delivered', updatedAt: 5 } });
    expect(step('sent', 4)).toMatchObject({ changed: false, message: { status: 'delivered', updatedAt: 5 } });
    expect(step('delivered', 6)!.changed).toBe(false);
    expect(step('failed', 7)!.message.status).toBe('delivered');
    expect(advanceDeliveryStatus(db, m.id, BOB, { status: 'delivered', at: 8 })).toBeNull();
    expect(advanceMessageStatus(db, 'ghost', { status: 'sent', at: 8 })).toBeNull();
  });

  it('summarises a group message from its recipients and keeps each error code', () => {
    const t = threadFor([ALICE, BOB]);
    const m = insertMessage(db, outbound(t.id, 1, [ALICE, BOB]));
    advanceMessageStatus(db, m.id, { status: 'accepted', at: 2 });
    const first = advanceDeliveryStatus(db, m.id, ALICE, { status: 'failed', at: 3, errorCode: 4720 })!;
    expect(first.message).toMatchObject({ status: 'accepted', errorCode: 4720 });
    expect(first.message.deliveries).toEqual([
      { recipient: ALICE, status: 'failed', errorCode: 4720, updatedAt: 3 },
      { recipient: BOB, status: 'accepted', errorCode: null, updatedAt: 2 },
    ]);
    const both = advanceDeliveryStatus(db, m.id, BOB, { status: 'delivered', at: 4 })!;
    expect(both.message.status).toBe('delivered');
    // Partly delivered: a retry would reach Bob twice.
    expect(() => retryMessage(db, m.id, 5)).toThrow(/Only a failed message/);
  });

  it('goes back from failed only by retry, which clears the errors', () => {
    const t = threadFor([ALICE]);
    const m = insertMessage(db, outbound(t.id, 1));
    expect(() => retryMessage(db, m.id, 2)).toThrow(AppError);
    const failed = advanceMessageStatus(db, m.id, { status: 'failed', at: 2, errorDetail: "'+1' must be a valid E164 number" })!.message;
    expect(failed).toMatchObject({ status: 'failed', errorCode: null, errorDetail: "'+1' must be a valid E164 number" });
    expect(advanceMessageStatus(db, m.id, { status: 'sending', at: 3 })!.changed).toBe(false);
    const retried = retryMessage(db, m.id, 4);
    expect(retried).toMatchObject({ status: 'queued', errorCode: null, errorDetail: null, updatedAt: 4 });
    expect(retried.deliveries[0]).toMatchObject({ status: 'queued', errorCode: null });
    expect(() => retryMessage(db, 'ghost', 5)).toThrow(/no longer exists/);
  });

  it('lists outbound messages still waiting for a receipt, oldest update first', () => {
    const t = threadFor([ALICE]);
    const [a, b, c, d] = [1, 2, 3, 4].map((at) => insertMessage(db, outbound(t.id, at)));
    insertMessage(db, inbound(t.id, 5));
    advanceMessageStatus(db, b!.id, { status: 'accepted', at: 10 });
    advanceMessageStatus(db, a!.id, { status: 'sent', at: 20 });
    advanceMessageStatus(db, c!.id, { status: 'accepted', at: 30 });
    advanceMessageStatus(db, c!.id, { status: 'no-receipt', at: 40 });
    advanceMessageStatus(db, d!.id, { status: 'delivered', at: 50 });
    expect(listAwaitingReceipt(db, { limit: 10 }).map((m) => m.id)).toEqual([b!.id, a!.id, c!.id]);
    expect(listAwaitingReceipt(db, { updatedBefore: 25, limit: 10 }).map((m) => m.id)).toEqual([b!.id, a!.id]);
    expect(listAwaitingReceipt(db, { limit: 1 }).map((m) => m.id)).toEqual([b!.id]);
  });

  it('never changes a received message', () => {
    const t = threadFor([ALICE]);
    const m = insertMessage(db, inbound(t.id, 1));
    expect(advanceMessageStatus(db, m.id, { status: 'failed', at: 2 })).toMatchObject({ changed: false, message: { status: 'received' } });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { beforeEach, describe, expect, it } from 'vitest';
import { SchemaError } from '../../shared/ipc/errors';
import { contact as contactSchema } from '../../shared/ipc/schemas';
import { threadKey } from '../../shared/domain/threadKey';
import { openDatabase } from '../../electron/main/core/store/database';
import type { Db } from '../../electron/main/core/store/database';
import {
  createAttachment,
  deleteAttachment,
  getAttachment,
  listAttachmentPaths,
  listOrphanAttachments,
  listPendingDownloads,
  updateAttachment,
} from '../../electron/main/core/store/attachments';
import { pruneCallbackEvents, recordCallbackEvent } from '../../electron/main/core/store/callbackEvents';
import { deleteContact, getContact, listContacts, upsertContact, upsertContacts } from '../../electron/main/core/store/contacts';
import { deleteMessage, insertMessage } from '../../electron/main/core/store/messages';
import { addOptOut, listOptOuts, optedOutAmong, removeOptOut } from '../../electron/main/core/store/optOuts';
import { conversationOf, dueJobs, enqueue, getJob, inFlightConversations, inFlightJobs, markInFlight, nextDueAfter, queueBacklog, removeJob, rescheduleJob } from '../../electron/main/core/store/queue';
import { deleteSetting, getSetting, setSetting } from '../../electron/main/core/store/settings';
import { seedCustomerNumber, seedHistory } from '../../electron/main/core/store/seed';
import { listMessages } from '../../electron/main/core/store/messages';
import { searchMessages } from '../../electron/main/core/store/search';
import { listThreads, upsertThread } from '../../electron/main/core/store/threads';
import { useTempDatabase } from '../support/tempDatabase';

const OUR = '+19195550100';
const ALICE = '+19195551234';
const BOB = '+19195559999';

const temp = useTempDatabase('switchboard-records-');
let db: Db;
beforeEach(() => (db = temp.db));

function outboundMessage(at: number, extra: { to?: string[]; status?: 'queued' | 'scheduled'; segments?: number } = {}) {
  const to = extra.to ?? [ALICE];
  const thread = upsertThread(db, threadKey(OUR, to), at);
  return insertMessage(db, { threadId: thread.id, direction: 'out', from: OUR, to, text: 'x', status: extra.status ?? 'queued', createdAt: at, segments: extra.segments ?? 1, encoding: 'GSM-7' });
}

describe('contacts', () => {
  it('creates, updates, finds, lists and deletes', () => {
    const alice = upsertContact(db, { number: ALICE, name: 'Alice', notes: 'VIP' }, 1);
    expect(contactSchema.parse(alice)).toEqual({ number: ALICE, name: 'Alice', notes: 'VIP', updatedAt: 1 });
    expect(upsertContact(db, { number: ALICE, name: 'Alice L.' }, 2)).toEqual({ number: ALICE, name: 'Alice L.', notes: 'VIP', updatedAt: 2 });
    upsertContact(db, { number: BOB, name: 'bob' }, 3);
    expect(listContacts(db).map((c) => c.name)).toEqual(['Alice L.', 'bob']);
    expect(listContacts(db, 'ALI').map((c) => c.number)).toEqual([ALICE]);
    expect(listContacts(db, '9999').map((c) => c.number)).toEqual([BOB]);
    expect(listContacts(db, '%').map((c) => c.number)).toEqual([]);
    expect(deleteContact(db, ALICE)).toBe(true);
    expect(deleteContact(db, ALICE)).toBe(false);
    expect(getContact(db, ALICE)).toBeNull();
  });

  it('upserts many in one transaction: a failing row leaves none of them written', () => {
    upsertContact(db, { number: ALICE, name: 'Alice', notes: 'VIP' }, 1);
    upsertContacts(db, [{ number: ALICE, name: 'Alice L.' }, { number: BOB, name: 'Bob', notes: '' }], 2);
    expect(listContacts(db)).toEqual([
      { number: ALICE, name: 'Alice L.', notes: 'VIP', updatedAt: 2 },
      { number: BOB, name: 'Bob', notes: '', updatedAt: 2 },
    ]);
    // name is NOT NULL: the second row fails, so the first one is rolled back with it.
    const broken = [{ number: '+19195550000', name: 'Carol' }, { number: '+19195550001', name: null as unknown as string }];
    expect(() => upsertContacts(db, broken, 3)).toThrow(/NOT NULL/);
    expect(getContact(db, '+19195550000')).toBeNull();
  });
});

describe('opt-outs', () => {
  it('are per sender number, idempotent, and keep the first time', () => {
    addOptOut(db, { ourNumber: OUR, number: ALICE, optedOutAt: 5, source: 'keyword' });
    addOptOut(db, { ourNumber: OUR, number: ALICE, optedOutAt: 9, source: 'carrier' });
    expect(optedOutAmong(db, OUR, [BOB, ALICE])).toEqual([ALICE]);
    expect(optedOutAmong(db, '+19195550101', [ALICE])).toEqual([]);
    expect(listOptOuts(db)).toEqual([{ ourNumber: OUR, number: ALICE, optedOutAt: 5, source: 'keyword' }]);
    expect(removeOptOut(db, OUR, ALICE)).toBe(true);
    expect(removeOptOut(db, OUR, ALICE)).toBe(false);
    expect(listOptOuts(db, OUR)).toEqual([]);
  });
});

describe('settings', () => {
  const quietHours = z.object({ enabled: z.boolean(), start: z.string() });

  it('round-trips values through their schema', () => {
    expect(getSetting(db, 'quietHours', quietHours)).toBeUndefined();
    setSetting(db, 'quietHours', quietHours, { enabled: true, start: '21:00' });
    expect(getSetting(db, 'quietHours', quietHours)).toEqual({ enabled: true, start: '21:00' });
    expect(() => setSetting(db, 'quietHours', quietHours, { enabled: 'yes' } as never)).toThrow(SchemaError);
    expect(getSetting(db, 'quietHours', quietHours)).toEqual({ enabled: true, start: '21:00' });
    expect(deleteSetting(db, 'quietHours')).toBe(true);
    expect(getSetting(db, 'quietHours', quietHours)).toBeUndefined();
  });

  it('names the key when a stored value is corrupt', () => {
    db.prepare("INSERT INTO settings VALUES ('quietHours', '{\"enabled\": 3}')").run();
    expect(() => getSetting(db, 'quietHours', quietHours)).toThrow(/setting "quietHours": enabled/);
    db.prepare("UPDATE settings SET value = '{nope' WHERE key = 'quietHours'").run();
    expect(() => getSetting(db, 'quietHours', quietHours)).toThrow(/setting "quietHours": not valid JSON/);
  });
});

describe('queue', () => {
  it('hands out due jobs by priority then age, with what pacing needs', () => {
    const a = outboundMessage(1);
    const b = outboundMessage(2, { to: [ALICE, BOB], segments: 3 });
    const later = outboundMessage(3, { status: 'scheduled' });
    enqueue(db, { messageId: a.id, nextAttemptAt: 10, at: 1 });
    enqueue(db, { messageId: b.id, nextAttemptAt: 20, priority: 1, at: 2 });
    enqueue(db, { messageId: later.id, nextAttemptAt: 1000, at: 3 });
    expect(() => enqueue(db, { messageId: a.id, nextAttemptAt: 10, at: 4 })).toThrow();
    expect(nextDueAfter(db, 0)).toBe(10);
    expect(dueJobs(db, 5, 10)).toEqual([]);
    const due = dueJobs(db, 20, 10);
    expect(due.map((j) => j.messageId)).toEqual([b.id, a.id]);
    expect(due[0]).toMatchObject({ from: OUR, recipients: 2, segments: 3, status: 'queued', attempts: 0, state: 'waiting' });
    // Two queued (a group of two at 3 segments costs 6), one scheduled; the queued ones' costs and due times.
    expect(queueBacklog(db)).toEqual([{ from: OUR, queued: 2, scheduled: 1, cost: 7, cheapest: 1, firstDue: 10, lastDue: 20 }]);
    // One taken: it still shows as queued (its bubble keeps its clock) but takes nothing more of the rates.
    markInFlight(db, b.id, 20);
    expect(queueBacklog(db)).toEqual([{ from: OUR, queued: 2, scheduled: 1, cost: 1, cheapest: 1, firstDue: 10, lastDue: 10 }]);
    // The scheduled one taken at its time: from then on it shows a clock like any other send.
    markInFlight(db, later.id, 1000);
    expect(queueBacklog(db)).toEqual([{ from: OUR, queued: 3, scheduled: 0, cost: 1, cheapest: 1, firstDue: 10, lastDue: 10 }]);
  });

  it('tracks attempts in flight, back-off and completion, and survives a reopen', () => {
    const m = outboundMessage(1);
    enqueue(db, { messageId: m.id, nextAttemptAt: 1, at: 1 });
    expect(markInFlight(db, m.id, 5)).toBe(true);
    expect(markInFlight(db, m.id, 6)).toBe(false);
    expect(dueJobs(db, 100, 10)).toEqual([]);
    db = temp.reopen();
    expect(inFlightJobs(db)).toMatchObject([{ messageId: m.id, state: 'in-flight', inFlightSince: 5, attempts: 1 }]);
    expect(inFlightConversations(db)).toEqual([conversationOf(inFlightJobs(db)[0]!)]);
    expect(rescheduleJob(db, m.id, 50, 'HTTP 503')).toBe(true);
    expect(getJob(db, m.id)).toMatchObject({ state: 'waiting', nextAttemptAt: 50, inFlightSince: null, lastError: 'HTTP 503', attempts: 1 });
    expect(removeJob(db, m.id)).toBe(true);
    expect(getJob(db, m.id)).toBeNull();
    expect(nextDueAfter(db, 0)).toBeNull();
  });

  it('loses its entry with the message', () => {
    const m = outboundMessage(1, { status: 'scheduled' });
    enqueue(db, { messageId: m.id, nextAttemptAt: 99, at: 1 });
    deleteMessage(db, m.id);
    expect(queueBacklog(db)).toEqual([]);
  });
});

describe('callback events', () => {
  it('recognises a redelivered callback and forgets old ones', () => {
    const event = { messageId: '1589228074636lm4k2je7j7jklbn2', type: 'message-delivered', to: ALICE, time: '2026-11-26T10:00:00.000Z' };
    expect(recordCallbackEvent(db, event, 100)).toBe(true);
    expect(recordCallbackEvent(db, event, 200)).toBe(false);
    expect(recordCallbackEvent(db, { ...event, to: BOB }, 200)).toBe(true);
    expect(recordCallbackEvent(db, { ...event, type: 'message-failed' }, 200)).toBe(true);
    expect(pruneCallbackEvents(db, 150)).toBe(1);
    expect(recordCallbackEvent(db, event, 300)).toBe(true);
  });
});

describe('attachments', () => {
  it('follows a file from staging or download to ready, and finds orphans', () => {
    const staged = createAttachment(db, { name: 'a.png', contentType: 'image/png', size: 3, sha256: 'abc', path: 'media/a', state: 'ready', createdAt: 1 });
    const incoming = createAttachment(db, { name: 'b.jpg', contentType: 'image/jpeg', state: 'pending', remoteUrl: 'https://x/media/1/0/b.jpg', createdAt: 2 });
    const thread = upsertThread(db, threadKey(OUR, [ALICE]), 2);
    const m = insertMessage(db, { threadId: thread.id, direction: 'in', from: ALICE, to: [OUR], text: '', status: 'received', createdAt: 2, segments: 1, encoding: 'GSM-7', attachmentIds: [incoming.id] });
    expect(listPendingDownloads(db).map((a) => a.id)).toEqual([incoming.id]);
    const done = updateAttachment(db, incoming.id, { state: 'ready', path: 'media/b', size: 42, sha256: 'def' }, 3);
    expect(done).toMatchObject({ messageId: m.id, state: 'ready', path: 'media/b', size: 42, sha256: 'def', remoteUrl: 'https://x/media/1/0/b.jpg', updatedAt: 3 });
    expect(listPendingDownloads(db)).toEqual([]);
    expect(listAttachmentPaths(db)).toEqual(new Set(['media/a', 'media/b']));
    expect(listOrphanAttachments(db, 10).map((a) => a.id)).toEqual([staged.id]);
    expect(listOrphanAttachments(db, 1)).toEqual([]);
    expect(deleteAttachment(db, staged.id)).toBe(true);
    expect(getAttachment(db, staged.id)).toBeNull();
    expect(() => updateAttachment(db, staged.id, { state: 'failed' }, 4)).toThrow(/does not exist/);
  });
});

describe('seedHistory', () => {
  it('writes a consistent history through the normal write path', () => {
    const { threadIds, messageCount } = seedHistory(db, { threads: 40, messagesPerThread: 6, ourNumbers: [OUR, '+19195550101'] });
    expect(threadIds).toHaveLength(40);
    expect(messageCount).toBe(240);
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(240);
    const first = listThreads(db, { limit: 1 }).threads[0]!;
    expect(first.id).toBe(threadIds[39]);
    expect(first.participants).toEqual([seedCustomerNumber(39)]);
    expect(first.ourNumber).toBe('+19195550101');
    expect(listThreads(db, { view: 'unread', limit: 100 }).threads).toHaveLength(4);
    expect(listThreads(db, { view: 'failed', limit: 100 }).threads.length).toBeGreaterThan(0);
    expect(listMessages(db, { threadId: threadIds[0]!, limit: 100 }).messages).toHaveLength(6);
    expect(searchMessages(db, { query: 'order', limit: 500 }).results.length).toBeGreaterThan(0);
    const otherDir = mkdtempSync(join(tmpdir(), 'switchboard-seed-'));
    const again = openDatabase(otherDir);
    try {
      seedHistory(again, { threads: 40, messagesPerThread: 6, ourNumbers: [OUR, '+19195550101'] });
      const textsOf = (d: Db) => d.prepare('SELECT text FROM messages ORDER BY created_at').pluck().all();
      expect(textsOf(again)).toEqual(textsOf(db));
    } finally {
      again.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/main/core/store/database';
import type { Db } from '../../electron/main/core/store/database';
import { encodeCursor } from '../../electron/main/core/store/cursor';
import { findMessageByBandwidthId, findMessageByClientKey, insertMessageRow, listAwaitingReceipt, listMessages } from '../../electron/main/core/store/messages';
import { dueJobs, nextDueAfter } from '../../electron/main/core/store/queue';
import { pruneCallbackEvents } from '../../electron/main/core/store/callbackEvents';
import { searchMessages } from '../../electron/main/core/store/search';
import { seedCustomerNumber, seedHistory } from '../../electron/main/core/store/seed';
import { listThreads, upsertThread } from '../../electron/main/core/store/threads';
import { threadKey } from '../../shared/domain/threadKey';
import { addOptOut } from '../../electron/main/core/store/optOuts';
import { listThreadAttachments } from '../../electron/main/core/store/attachments';

/**
 * Every index of the schema is used by the repository query it exists for. The SQL is captured from the
 * repositories themselves (on a fresh connection, so nothing is cached) and explained.
 */
let dir: string;
let seeded: Db;
let threadId: string;
const cursor = encodeCursor(1_900_000_000_000, 'ZZZZ');

function plansOf(run: (db: Db) => unknown): string[] {
  const db = openDatabase(dir);
  const prepare = db.prepare.bind(db);
  const seen: string[] = [];
  db.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as Db['prepare'];
  try {
    run(db);
    return seen.map((sql) => {
      const params = Array((sql.match(/\?/g) ?? []).length).fill(null);
      return (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    });
  } finally {
    db.close();
  }
}

/** The plan of search's page query (on the messages table, aliased m), not of its look into the FTS index. */
const pageOfMessages = (plan: string) => /\b(SCAN|SEARCH) m\b/.test(plan);
const usesIndex = (plans: string[], index: string) => plans.some((p) => new RegExp(`USING (COVERING )?INDEX ${index}\\b`).test(p));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-plans-'));
  seeded = openDatabase(dir);
  threadId = seedHistory(seeded, { threads: 30, messagesPerThread: 10 }).threadIds[0]!;
  // A term in more messages than search takes from the index up front, written out of time order (older than the
  // seeded history): search walks the time index for it.
  const thread = upsertThread(seeded, threadKey('+19195550100', ['+19195559999']), 1);
  seeded.transaction(() => {
    for (let i = 0; i < 1_100; i++) {
      insertMessageRow(seeded, { threadId: thread.id, direction: 'in', from: '+19195559999', to: ['+19195550100'], text: `common word ${i}`, status: 'received', createdAt: 10_000 + i, segments: 1, encoding: 'GSM-7' });
    }
  })();
  // A common term written in time order: search takes its page from the newest hits.
  seeded.transaction(() => {
    for (let i = 0; i < 1_100; i++) {
      insertMessageRow(seeded, { threadId: thread.id, direction: 'in', from: '+19195559999', to: ['+19195550100'], text: `frequent word ${i}`, status: 'received', createdAt: 2_000_000_000_000 + i, segments: 1, encoding: 'GSM-7' });
    }
  })();
  addOptOut(seeded, { ourNumber: '+19195550100', number: seedCustomerNumber(3), optedOutAt: 1, source: 'keyword' });
});
afterAll(() => {
  seeded.close();
  rmSync(dir, { recursive: true, force: true });
});

const INDEX_USERS: [string, (db: Db) => unknown][] = [
  ['threads_activity', (db: Db) => listThreads(db, { before: cursor })],
  ['threads_number_activity', (db: Db) => listThreads(db, { before: cursor, ourNumber: '+19195550100' })],
  ['threads_unread_activity', (db: Db) => listThreads(db, { view: 'unread', before: cursor })],
  ['threads_failed_activity', (db: Db) => listThreads(db, { view: 'failed' })],
  ['threads_scheduled_activity', (db: Db) => listThreads(db, { view: 'scheduled' })],
  ['threads_opted_out_activity', (db: Db) => listThreads(db, { view: 'opted-out' })],
  ['messages_thread_time', (db: Db) => listMessages(db, { threadId, before: cursor })],
  ['messages_bandwidth_id', (db: Db) => findMessageByBandwidthId(db, 'out', 'seed-1-1')],
  ['messages_client_key', (db: Db) => findMessageByClientKey(db, 'key-0000000001')],
  ['messages_awaiting_receipt', (db: Db) => listAwaitingReceipt(db, { updatedBefore: 5, limit: 10 })],
  ['messages_time', (db: Db) => searchMessages(db, { query: 'common' })],
  ['thread_participants_number', (db: Db) => searchMessages(db, { query: 'common', number: seedCustomerNumber(2) })],
  ['attachments_message', (db: Db) => listMessages(db, { threadId })],
  ['messages_thread_media', (db: Db) => listThreadAttachments(db, threadId, { before: cursor })],
  ['queue_due', (db: Db) => nextDueAfter(db, 5)],
  ['queue_order', (db: Db) => dueJobs(db, 5, 10)],
  ['callback_events_received', (db: Db) => pruneCallbackEvents(db, 5)],
];

describe('query plans', () => {
  it('covers every index of the schema', () => {
    const indexes = seeded.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(INDEX_USERS.map(([name]) => name).sort()).toEqual(indexes);
  });

  it.each(INDEX_USERS)('%s is used', (index, run) => {
    const plans = plansOf(run);
    expect(usesIndex(plans, index), plans.join('\n')).toBe(true);
  });

  it('orders search results through the per-thread time index when searching one thread for a common term', () => {
    const plans = plansOf((db) => searchMessages(db, { query: 'common', threadId }));
    const search = plans.find(pageOfMessages)!;
    expect(search).toMatch(/USING (COVERING )?INDEX messages_thread_time/);
    expect(search).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });

  it('never sorts a page of threads or messages', () => {
    const plans = plansOf((db) => [listThreads(db, { view: 'unread' }), listMessages(db, { threadId, after: encodeCursor(0, '0') }), searchMessages(db, { query: 'common' })]);
    // Only hits looked up by key are sorted: a rare term's, or the newest two pages' worth of a common one.
    const walks = plans.filter((plan) => !/SEARCH m USING INTEGER PRIMARY KEY/.test(plan));
    expect(walks.length).toBeGreaterThan(2);
    for (const plan of walks) expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });

  it('keeps every view of the thread list on its index, without a sort, when the open thread is asked for too', () => {
    const include = threadId;
    const cases: [string, (db: Db) => unknown][] = [
      ['threads_activity', (db) => listThreads(db, { before: cursor, include })],
      ['threads_number_activity', (db) => listThreads(db, { before: cursor, ourNumber: '+19195550100', include })],
      ['threads_unread_activity', (db) => listThreads(db, { view: 'unread', include })],
      ['threads_failed_activity', (db) => listThreads(db, { view: 'failed', include })],
      ['threads_scheduled_activity', (db) => listThreads(db, { view: 'scheduled', include })],
      ['threads_opted_out_activity', (db) => listThreads(db, { view: 'opted-out', before: cursor, include })],
    ];
    for (const [index, run] of cases) {
      const plans = plansOf(run);
      expect(usesIndex(plans, index), plans.join('\n')).toBe(true);
      for (const plan of plans) expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    }
  });

  it('takes a common term’s page from its newest hits by key when they were written in time order', () => {
    const plans = plansOf((db) => searchMessages(db, { query: 'frequent' }));
    expect(plans.filter(pageOfMessages).every((plan) => /SEARCH m USING INTEGER PRIMARY KEY/.test(plan))).toBe(true);
    expect(plans.join('\n')).not.toMatch(/INDEX messages_time/);
  });

  it('looks a rare term’s few hits up by key instead of walking the time index', () => {
    const plans = plansOf((db) => searchMessages(db, { query: 'hello' }));
    const page = plans.find(pageOfMessages)!;
    expect(page).toMatch(/SEARCH m USING INTEGER PRIMARY KEY/);
    expect(page).not.toMatch(/INDEX messages_time/);
  });
});

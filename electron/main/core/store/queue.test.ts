import { beforeEach, describe, expect, it } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import type { Db } from './database';
import { insertMessage } from './messages';
import { addOptOut, removeOptOut } from './optOuts';
import { conversationOf, dueJobs, enqueue, getJob, inFlightConversations, markInFlight, nextDueAfter } from './queue';
import { upsertThread } from './threads';

const OURS = ['+19195550100', '+19195550101'];
const ALICE = '+19195551234';
const BOB = '+19195559999';

const temp = useTempDatabase('switchboard-queue-');
let db: Db;
beforeEach(() => (db = temp.db));

/** A queued outbound message and its job, due at `at`. */
function queued(at: number, from: string, to: string[], optOutExempt = false): string {
  const thread = upsertThread(db, threadKey(from, to), at);
  const message = insertMessage(db, { threadId: thread.id, direction: 'out', from, to, text: `m${at}`, status: 'queued', createdAt: at, segments: 1, encoding: 'GSM-7' });
  enqueue(db, { messageId: message.id, nextAttemptAt: at, at, optOutExempt });
  return message.id;
}

describe('the queue row', () => {
  it('copies the sender and first recipient of its message (its conversation)', () => {
    const id = queued(1, OURS[0]!, [BOB, ALICE]);
    const job = getJob(db, id)!;
    // What the send loop makes the request from, without reading the message again.
    expect(job).toMatchObject({ from: OURS[0], firstRecipient: BOB, to: [BOB, ALICE], recipients: 2, text: 'm1', sendPriority: 'default', mediaCount: 0 });
    expect(db.prepare('SELECT from_number, first_recipient FROM queue WHERE message_id = ?').get(id)).toEqual({ from_number: OURS[0], first_recipient: BOB });
  });

  it('knows when the next job not yet due falls due', () => {
    queued(5, OURS[0]!, [ALICE]);
    queued(9, OURS[1]!, [BOB]);
    expect(nextDueAfter(db, 4)).toBe(5);
    expect(nextDueAfter(db, 5)).toBe(9);
    expect(nextDueAfter(db, 9)).toBeNull();
  });

  it('refuses a job for a message that does not exist', () => {
    expect(() => enqueue(db, { messageId: 'ghost', nextAttemptAt: 1, at: 1 })).toThrow(/does not exist/);
  });
});

describe('dueJobs', () => {
  it('skips conversations with a send in flight and held numbers, without stalling the others', () => {
    const first = queued(1, OURS[0]!, [ALICE]);
    const sameConversation = queued(2, OURS[0]!, [ALICE]);
    const otherCustomer = queued(3, OURS[0]!, [BOB]);
    const otherNumber = queued(4, OURS[1]!, [ALICE]);
    expect(markInFlight(db, first, 5)).toBe(true);
    const busy = inFlightConversations(db);
    expect(busy).toEqual([conversationOf({ from: OURS[0]!, firstRecipient: ALICE })]);
    expect(dueJobs(db, 10, 10, [], busy).map((j) => j.messageId)).toEqual([otherCustomer, otherNumber]);
    expect(dueJobs(db, 10, 1, [], busy).map((j) => j.messageId)).toEqual([otherCustomer]);
    expect(dueJobs(db, 10, 10, [OURS[0]!], busy).map((j) => j.messageId)).toEqual([otherNumber]);
    expect(dueJobs(db, 10, 10, [OURS[1]!], []).map((j) => j.messageId)).toEqual([sameConversation, otherCustomer]);
    expect(dueJobs(db, 10, 10, OURS, [])).toEqual([]);
  });

  it('finds due jobs on the queue_order index alone and joins only those it returns to their messages', () => {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${captureDueJobsSql(db)}`).all(10, '[]', '[]') as { detail: string }[]).map((r) => r.detail);
    expect(plan).toContain('SEARCH queue USING COVERING INDEX queue_order (state=?)');
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
    // The messages are searched once per job returned, after the limit: never scanned with the waiting rows.
    expect(plan.findIndex((p) => /SEARCH m /.test(p))).toBeGreaterThan(plan.findIndex((p) => /SCAN due/.test(p)));
  });

  it('says which jobs are to a number that opted out of their sender since, except the exempt opt-out confirmation', () => {
    const group = queued(1, OURS[0]!, [BOB, ALICE]);
    const toAlice = queued(2, OURS[0]!, [ALICE]);
    const confirmation = queued(3, OURS[0]!, [ALICE], true);
    const fromOtherNumber = queued(4, OURS[1]!, [ALICE]);
    const optedOut = () => Object.fromEntries(dueJobs(db, 10, 10).map((j) => [j.messageId, j.optedOut]));
    expect(optedOut()).toEqual({ [group]: false, [toAlice]: false, [confirmation]: false, [fromOtherNumber]: false });
    addOptOut(db, { ourNumber: OURS[0]!, number: ALICE, optedOutAt: 5, source: 'keyword' });
    // Any one recipient of a group stops it; an opt-out is per sender number.
    expect(optedOut()).toEqual({ [group]: true, [toAlice]: true, [confirmation]: false, [fromOtherNumber]: false });
    expect(getJob(db, toAlice)!.optedOut).toBe(true);
    removeOptOut(db, OURS[0]!, ALICE);
    expect(optedOut()[toAlice]).toBe(false);
  });

  it('looks opt-outs up by primary key, one probe per recipient of each job it returns', () => {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${captureDueJobsSql(db)}`).all(10, '[]', '[]') as { detail: string }[]).map((r) => r.detail);
    expect(plan).toContain('SEARCH o USING PRIMARY KEY (our_number=? AND number=?)');
  });

  it('takes only whole-number limits, which it writes into its SQL', () => {
    expect(() => dueJobs(db, 10, 1.5)).toThrow(/whole number/);
    expect(() => dueJobs(db, 10, -1)).toThrow(/whole number/);
  });
});

/** The SQL dueJobs runs, as it prepares it. */
function captureDueJobsSql(db: Db): string {
  const prepare = db.prepare.bind(db);
  let seen = '';
  db.prepare = ((sql: string) => {
    seen = sql;
    return prepare(sql);
  }) as Db['prepare'];
  try {
    dueJobs(db, 10, 5, [], []);
  } finally {
    db.prepare = prepare;
  }
  return seen;
}

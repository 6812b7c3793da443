import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import { FakeClock } from '../../../../tests/support/fakeClock';
import { openDatabase, type Db } from '../store/database';
import { insertMessage } from '../store/messages';
import type { QueueJob } from '../store/queue';
import type * as queueStore from '../store/queue';
import { dueJobs, enqueue, getJob, removeJob, rescheduleJob } from '../store/queue';
import { upsertThread } from '../store/threads';
import { RateLimiter } from './rateLimiter';
import { createSendQueue, type SendQueue } from './sendQueue';

// dueJobs as it is, counted: a look at the queue the limiter makes pointless must not be taken.
vi.mock('../store/queue', async (importOriginal) => {
  const actual = await importOriginal<typeof queueStore>();
  return { ...actual, dueJobs: vi.fn(actual.dueJobs) };
});
const looks = () => vi.mocked(dueJobs).mock.calls.length;

const quiet = { info() {}, warn() {}, error() {} };
let dir: string;
let db: Db;
let clock: FakeClock;
let sent: { id: string; from: string; at: number }[];
let queue: SendQueue;

function add(from: string, text: string, options: { priority?: number; dueIn?: number; segments?: number; to?: string } = {}): string {
  const to = options.to ?? '+19845550111';
  const thread = upsertThread(db, threadKey(from, [to]), clock.now());
  const message = insertMessage(db, { threadId: thread.id, direction: 'out', from, to: [to], text, status: 'queued', createdAt: clock.now(), segments: options.segments ?? 1, encoding: 'GSM-7' });
  enqueue(db, { messageId: message.id, nextAttemptAt: clock.now() + (options.dueIn ?? 0), priority: options.priority ?? 0, at: clock.now() });
  clock.advance(1); // first come, first served: each message a millisecond after the last
  return message.id;
}

/** The attempt the engine plugs in, reduced to: record the send, settle the job. */
const settle = async (job: QueueJob) => {
  sent.push({ id: job.messageId, from: job.from, at: clock.now() });
  removeJob(db, job.messageId);
};

function start(attempt = settle, limiter = new RateLimiter({ numbers: [{ number: '+19195550100', mps: 1 }, { number: '+19195550101', mps: 1 }] })) {
  queue = createSendQueue({ db, clock, logger: quiet, limiter, attempt, concurrency: 4 });
  queue.start();
}

/** Lets the attempts' promises settle between clock steps, and the queue refill after them (it looks again once per turn). */
const flush = async () => {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-queue-'));
  db = openDatabase(dir);
  clock = new FakeClock();
  clock.advance(1_000_000);
  sent = [];
});
afterEach(async () => {
  await queue?.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the send queue', () => {
  it('sends high priority first and paces each number to its rate', async () => {
    const a = add('+19195550100', 'a');
    const b = add('+19195550100', 'b');
    const urgent = add('+19195550100', 'urgent', { priority: 1 });
    start();
    await flush();
    // One second of burst: two go at once, the most urgent first.
    expect(sent.map((s) => s.id)).toEqual([urgent, a]);
    clock.advance(990);
    await flush();
    expect(sent).toHaveLength(2);
    clock.advance(10);
    await flush();
    expect(sent.map((s) => s.id)).toEqual([urgent, a, b]);
  });

  it('never lets one number’s backlog hold up another number', async () => {
    for (let i = 0; i < 20; i++) add('+19195550100', `bulk ${i}`);
    const other = add('+19195550101', 'other line');
    start();
    await flush();
    expect(sent.map((s) => s.id)).toContain(other);
  });

  it('waits for a scheduled time and for a back-off, then sends', async () => {
    const later = add('+19195550100', 'later', { dueIn: 60_000 });
    start();
    await flush();
    expect(sent).toEqual([]);
    clock.advance(60_000);
    await flush();
    expect(sent.map((s) => s.id)).toEqual([later]);

    const retried = add('+19195550101', 'flaky');
    let first = true;
    await queue.stop();
    sent = [];
    start(async (job) => {
      if (first) {
        first = false;
        rescheduleJob(db, job.messageId, clock.now() + 5_000, '503');
        return;
      }
      await settle(job);
    });
    await flush();
    expect(sent).toEqual([]);
    expect(getJob(db, retried)).toMatchObject({ state: 'waiting', attempts: 1, lastError: '503' });
    clock.advance(5_000);
    await flush();
    expect(sent.map((s) => s.id)).toEqual([retried]);
  });

  it('holds everything while paused (credentials refused), then resumes', async () => {
    start();
    const resumeAt = clock.now() + 60_000;
    queue.pauseUntil(resumeAt);
    const id = add('+19195550100', 'after the pause');
    queue.wake();
    await flush();
    expect(sent).toEqual([]);
    expect(queue.pausedUntil()).toBe(resumeAt);
    clock.advance(60_000);
    await flush();
    expect(sent.map((s) => s.id)).toEqual([id]);
  });

  it('drops a job its begin refuses, unpaced, and takes the next due one in its place', async () => {
    const gone = add('+19195550100', 'cancelled meanwhile');
    const next = add('+19195550100', 'next');
    const last = add('+19195550100', 'last');
    const began: string[] = [];
    queue = createSendQueue({
      db,
      clock,
      logger: quiet,
      attempt: settle,
      concurrency: 1,
      // One second of burst at 1/s: two sends now, a third only if the dropped job was not counted.
      limiter: new RateLimiter({ numbers: [{ number: '+19195550100', mps: 1 }] }),
      begin: (job) => {
        began.push(job.messageId);
        if (job.messageId !== gone) return true;
        removeJob(db, job.messageId);
        return false;
      },
    });
    queue.start();
    await flush();
    expect(began).toEqual([gone, next, last]);
    expect(sent.map((s) => s.id)).toEqual([next, last]);
    expect(getJob(db, gone)).toBeNull();
  });

  it('marks a job in flight before its attempt runs, and stop() waits for attempts in flight', async () => {
    let release: () => void = () => {};
    let seenState: string | undefined;
    const id = add('+19195550100', 'slow');
    start(async (job) => {
      seenState = getJob(db, job.messageId)?.state;
      await new Promise<void>((resolve) => (release = resolve));
      await settle(job);
    });
    await flush();
    expect(seenState).toBe('in-flight');
    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(sent.map((s) => s.id)).toEqual([id]);
  });

  describe('refill (claims in the transaction that settles attempts)', () => {
    const FAST = '+19195550103';
    const fast = () => new RateLimiter({ numbers: [{ number: FAST, mps: 1000 }] });
    /** Attempts that wait to be released, each noting what another connection (committed data only) saw as it began. */
    function holding() {
      const other = new Database(join(dir, 'switchboard.db'), { readonly: true });
      const committedState = (id: string) => other.prepare('SELECT state FROM queue WHERE message_id = ?').pluck().get(id);
      const begun: { id: string; committed: unknown; inTransaction: boolean }[] = [];
      const releases = new Map<string, () => void>();
      const attempt = async (job: QueueJob) => {
        begun.push({ id: job.messageId, committed: committedState(job.messageId), inTransaction: db.inTransaction });
        await new Promise<void>((resolve) => releases.set(job.messageId, resolve));
        await settle(job);
      };
      return { attempt, begun, releases, close: () => other.close() };
    }

    it('takes the slots of the attempts it settles, and starts them only once that transaction has committed', async () => {
      const ids = Array.from({ length: 6 }, (_, i) => add(FAST, `bulk ${i}`, { to: `+1984555030${i}` }));
      const h = holding();
      try {
        start(h.attempt, fast());
        await flush();
        expect(h.begun.map((b) => b.id)).toEqual(ids.slice(0, 4));
        let go: () => void = () => {};
        db.transaction(() => {
          // The outcomes of two attempts, written with the claim of the jobs that take their places.
          removeJob(db, ids[0]!);
          removeJob(db, ids[1]!);
          go = queue.refill([ids[0]!, ids[1]!]);
          expect(getJob(db, ids[4]!)?.state).toBe('in-flight');
          expect(getJob(db, ids[5]!)?.state).toBe('in-flight');
        }).immediate();
        expect(h.begun).toHaveLength(4);
        go();
        expect(h.begun.slice(4)).toEqual([ids[4], ids[5]].map((id) => ({ id, committed: 'in-flight', inTransaction: false })));
        expect(h.begun.every((b) => b.committed === 'in-flight' && !b.inTransaction)).toBe(true);
        for (const release of h.releases.values()) release();
        await flush();
        expect(sent.map((s) => s.id).sort()).toEqual([...ids].sort());
      } finally {
        for (const release of h.releases.values()) release();
        h.close();
      }
    });

    it('a settling transaction that fails loses no claim: the jobs stay waiting and go on the next look', async () => {
      const ids = Array.from({ length: 5 }, (_, i) => add(FAST, `bulk ${i}`, { to: `+1984555031${i}` }));
      const h = holding();
      try {
        start(h.attempt, fast());
        await flush();
        expect(() =>
          db.transaction(() => {
            removeJob(db, ids[0]!);
            queue.refill([ids[0]!]);
            throw new Error('disk full');
          }).immediate(),
        ).toThrow('disk full');
        expect(getJob(db, ids[0]!)?.state).toBe('in-flight');
        expect(getJob(db, ids[4]!)?.state).toBe('waiting');
        expect(h.begun).toHaveLength(4);
        // The attempt settles its outcome on its own, and the look after it takes the job the failed refill had claimed.
        h.releases.get(ids[0]!)!();
        await flush();
        expect(h.begun.map((b) => b.id)).toEqual(ids);
        expect(h.begun.every((b) => b.committed === 'in-flight' && !b.inTransaction)).toBe(true);
      } finally {
        for (const release of h.releases.values()) release();
        h.close();
      }
    });

    it('refuses to claim outside a transaction', () => {
      start(settle, fast());
      expect(() => queue.refill([])).toThrow(/inside the transaction/);
    });
  });

  describe('while the limiter holds every number with due jobs', () => {
    const FAST = '+19195550103';
    const limiter = () => new RateLimiter({ numbers: [{ number: '+19195550100', mps: 1 }, { number: FAST, mps: 1000 }] });

    it('settled sends do not look at the queue again until a number is free, and then it sends on time', async () => {
      // Each to its own customer: one send at a time per conversation would hold them back too.
      const ids = Array.from({ length: 6 }, (_, i) => add('+19195550100', `bulk ${i}`, { to: `+1984555020${i}` }));
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const begun: string[] = [];
      start(async (job) => {
        begun.push(job.messageId);
        await gate;
        await settle(job);
      }, limiter());
      await flush();
      release();
      expect(begun).toEqual(ids.slice(0, 2));
      const before = looks();
      await flush();
      // Both settled sends asked for a look; the held number made them pointless.
      expect(sent).toHaveLength(2);
      expect(looks()).toBe(before);
      clock.advance(1000);
      await flush();
      expect(sent.map((s) => s.id)).toEqual(ids.slice(0, 3));
    });

    it('still sends at once a job queued for another number, and one of another number falling due', async () => {
      for (let i = 0; i < 5; i++) add('+19195550100', `bulk ${i}`);
      const scheduled = add(FAST, 'scheduled', { dueIn: 200 });
      start(settle, limiter());
      await flush();
      expect(sent).toHaveLength(2);
      const queued = add(FAST, 'queued meanwhile');
      queue.wake();
      await flush();
      expect(sent.map((s) => s.id)).toContain(queued);
      expect(sent.map((s) => s.id)).not.toContain(scheduled);
      clock.advance(200);
      await flush();
      expect(sent.map((s) => s.id)).toContain(scheduled);
      expect(sent).toHaveLength(4);
    });

    it('sends the next text of a conversation as soon as the one before it settles', async () => {
      for (let i = 0; i < 5; i++) add('+19195550100', `bulk ${i}`);
      const first = add(FAST, 'first', { to: '+19845550199' });
      const second = add(FAST, 'second', { to: '+19845550199' });
      let release: () => void = () => {};
      start(async (job) => {
        if (job.messageId === first) await new Promise<void>((resolve) => (release = resolve));
        await settle(job);
      }, limiter());
      await flush();
      expect(sent.map((s) => s.id)).not.toContain(second);
      release();
      await flush();
      expect(sent.map((s) => s.id)).toEqual(expect.arrayContaining([first, second]));
    });
  });
});

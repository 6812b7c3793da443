import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import { FakeClock } from '../../../../tests/support/fakeClock';
import { openDatabase, type Db } from '../store/database';
import { insertMessage } from '../store/messages';
import type { QueueJob } from '../store/queue';
import { enqueue, getJob, removeJob, rescheduleJob } from '../store/queue';
import { upsertThread } from '../store/threads';
import { RateLimiter } from './rateLimiter';
import { createSendQueue, type SendQueue } from './sendQueue';

const quiet = { info() {}, warn() {}, error() {} };
let dir: string;
let db: Db;
let clock: FakeClock;
let sent: { id: string; from: string; at: number }[];
let queue: SendQueue;

function add(from: string, text: string, options: { priority?: number; dueIn?: number; segments?: number } = {}): string {
  const thread = upsertThread(db, threadKey(from, ['+19845550111']), clock.now());
  const message = insertMessage(db, { threadId: thread.id, direction: 'out', from, to: ['+19845550111'], text, status: 'queued', createdAt: clock.now(), segments: options.segments ?? 1, encoding: 'GSM-7' });
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
    expect(queue.nextSendAt()).toBe(resumeAt);
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
});

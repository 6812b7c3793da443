import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { ListedMessage, SendResult } from '../bandwidth/messaging';
import { FakeClock } from '../../../../tests/support/fakeClock';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { callbackBody } from '../callbacks/schema';
import type { SendQueue } from '../queue/sendQueue';
import { runMigrations } from '../store/migrations';
import { migrations } from '../store/migrations/index';
import m017 from '../store/migrations/017_superseded_attempts';
import { acceptMessage, findMessageByBandwidthId, getMessage, insertMessage, retryMessage } from '../store/messages';
import { getJob, markInFlight } from '../store/queue';
import { upsertThread } from '../store/threads';
import type { EngineContext } from './context';
import { bandwidthTag } from './context';
import { createInbound } from './inbound';
import type { MediaService } from './media';
import { createOutbound } from './outbound';
import { createReconciler } from './reconcile';

/**
 * A retry is a new attempt with a new Bandwidth id, and every attempt carries the message's tag: news of an earlier
 * attempt that arrives late (the tunnel was down; Bandwidth retries callbacks for a day) must not settle the new one.
 */
const OURS = '+19195550100';
const ANN = '+19195551234';

/** A status callback for ANN as Bandwidth posts it (REFERENCE.md §6), tagged unless `tag` is null. */
function callback(type: string, id: string, tag: string | null, errorCode?: number) {
  const time = new Date(1_700_000_000_000).toISOString();
  return callbackBody.parse([
    { type, time, to: ANN, description: type, errorCode, message: { id, time, direction: 'out', to: [ANN], from: OURS, text: '', tag: tag ?? undefined } },
  ]);
}

/** A row of Bandwidth's message list for ANN. */
function listed(messageId: string, messageStatus: string, errorCode: number | null = null): ListedMessage {
  return {
    messageId,
    accountId: null,
    sourceTn: OURS,
    destinationTn: ANN,
    messageStatus,
    messageDirection: 'OUTBOUND',
    messageType: 'sms',
    segmentCount: 1,
    errorCode,
    receiveTime: null,
    carrierName: null,
  };
}

describe('late callbacks of an earlier attempt of a retried message', () => {
  const temp = useTempDatabase('sb-retry-attempts-');
  const stops: (() => void)[] = [];
  afterEach(() => stops.splice(0).forEach((stop) => stop()));

  function start() {
    const db = temp.db;
    const clock = new FakeClock();
    clock.advance(1_000);
    const logged: string[] = [];
    let list: ListedMessage[] = [];
    /** Bandwidth's answer to the next send; a test may hold it back to act while the request is out. */
    let answer: () => Promise<SendResult> = async () => ({ kind: 'accepted', message: { id: 'bw-B' } }) as SendResult;
    const ctx = {
      db,
      clock,
      logger: { info: (text: string) => logged.push(text), warn: (text: string) => logged.push(text), error: () => {} },
      bus: { emit: () => {} },
      account: { numbers: [{ number: OURS, class: 'local' }] },
      client: {
        messaging: {
          listMessages: async () => ({ totalCount: list.length, messages: list, nextPageToken: null, prevPageToken: null }),
          sendMessage: () => answer(),
        },
      },
      settings: () => ({ noReceiptAfterMs: 2 * 60 * 60_000 }),
    } as unknown as EngineContext;
    const inbound = createInbound(ctx, {} as MediaService, () => {});
    const outbound = createOutbound(ctx, () => ({ wake: () => {}, refill: () => {} }) as unknown as SendQueue, {} as MediaService, { settleDelayMs: 1_000 });
    stops.push(() => outbound.stop());
    const reconciler = createReconciler(ctx, { quietForMs: 0 });

    const thread = upsertThread(db, threadKey(OURS, [ANN]), 1).id;
    const m = insertMessage(db, { threadId: thread, direction: 'out', from: OURS, to: [ANN], text: 'hi', status: 'queued', createdAt: clock.now(), segments: 1, encoding: 'GSM-7' });
    const tag = bandwidthTag(m.id);
    const ingest = (body: ReturnType<typeof callback>) => inbound.ingest(body);
    const message = () => getMessage(db, m.id)!;

    return {
      db,
      clock,
      logged,
      id: m.id,
      tag,
      ingest,
      message,
      outbound,
      setList: (rows: ListedMessage[]) => void (list = rows),
      setAnswer: (next: () => Promise<SendResult>) => void (answer = next),
      /** Attempt A: Bandwidth took it, then the tunnel was down, and reconciliation found it failed (4702: Retry offered). */
      async failFirstAttemptWhileTunnelIsDown() {
        clock.advance(10);
        db.transaction(() => acceptMessage(db, m.id, 'bw-A', clock.now()))();
        clock.advance(10);
        list = [listed('bw-A', 'FAILED', 4702)];
        await reconciler.run();
        expect(message()).toMatchObject({ status: 'failed', errorCode: 4702, bandwidthId: 'bw-A' });
        clock.advance(10);
      },
      /** The agent's retry, then attempt B through the send path up to Bandwidth's 202. */
      async retryAndSend() {
        outbound.retry(m.id);
        clock.advance(10);
        const job = getJob(db, m.id)!;
        expect(outbound.begin(job)).toBe(true);
        markInFlight(db, m.id, clock.now());
        await outbound.attempt(job);
      },
    };
  }

  it('a late message-failed of attempt A leaves attempt B as Bandwidth took it, and B’s own receipt still settles it', async () => {
    const t = start();
    await t.failFirstAttemptWhileTunnelIsDown();
    await t.retryAndSend();
    expect(t.message()).toMatchObject({ status: 'accepted', bandwidthId: 'bw-B', errorCode: null });

    // The tunnel is back: Bandwidth delivers A's failure at last.
    await t.ingest(callback('message-failed', 'bw-A', t.tag, 4702));
    expect(t.message()).toMatchObject({ status: 'accepted', bandwidthId: 'bw-B', errorCode: null, errorDetail: null });
    expect(t.logged).toContain('status callback for an earlier attempt of a retried message was ignored');

    await t.ingest(callback('message-delivered', 'bw-B', t.tag));
    expect(t.message()).toMatchObject({ status: 'delivered', bandwidthId: 'bw-B', errorCode: null });
  });

  it('a late message-failed of attempt A before B’s 202 neither fails nor drops the queued retry', async () => {
    const t = start();
    await t.failFirstAttemptWhileTunnelIsDown();
    t.outbound.retry(t.id);

    await t.ingest(callback('message-failed', 'bw-A', t.tag, 4702));
    // Also when Bandwidth's event carries no tag and is matched by its id alone.
    await t.ingest(callback('message-failed', 'bw-A', null, 4702));
    expect(t.message()).toMatchObject({ status: 'queued', errorCode: null });
    const job = getJob(t.db, t.id)!;
    expect(t.outbound.begin(job)).toBe(true);
    expect(getJob(t.db, t.id)).not.toBeNull();
    // The new attempt has no id until Bandwidth takes it.
    expect(t.message().bandwidthId).toBeNull();

    // And while B's request is out.
    markInFlight(t.db, t.id, t.clock.now());
    let answer!: (result: SendResult) => void;
    t.setAnswer(() => new Promise((resolve) => (answer = resolve)));
    const attempt = t.outbound.attempt(job);
    await t.ingest(callback('message-failed', 'bw-A', t.tag, 4702));
    answer({ kind: 'accepted', message: { id: 'bw-B' } } as SendResult);
    await attempt;
    expect(t.message()).toMatchObject({ status: 'accepted', bandwidthId: 'bw-B', errorCode: null });
  });

  it('B’s callbacks that come before its 202 are B’s, and the 202 then keeps their status', async () => {
    const t = start();
    await t.failFirstAttemptWhileTunnelIsDown();
    let answer!: (result: SendResult) => void;
    t.setAnswer(() => new Promise((resolve) => (answer = resolve)));
    const sent = t.retryAndSend();
    await new Promise((resolve) => setImmediate(resolve));
    await t.ingest(callback('message-failed', 'bw-B', t.tag, 4720));
    expect(t.message()).toMatchObject({ status: 'failed', bandwidthId: 'bw-B', errorCode: 4720 });
    answer({ kind: 'accepted', message: { id: 'bw-B' } } as SendResult);
    await sent;
    expect(t.message()).toMatchObject({ status: 'failed', bandwidthId: 'bw-B', errorCode: 4720 });
  });

  it('crash settlement never takes attempt A, listed by Bandwidth, for a retried request that never arrived', async () => {
    const t = start();
    await t.failFirstAttemptWhileTunnelIsDown();
    t.outbound.retry(t.id);
    // B's request was in flight when the app died; Bandwidth's list holds only A (received within the window).
    markInFlight(t.db, t.id, t.clock.now());
    t.setList([listed('bw-A', 'FAILED', 4702)]);
    t.clock.advance(2_000);
    await t.outbound.settleInFlight(t.id);
    expect(t.message()).toMatchObject({ status: 'queued', bandwidthId: null });
    expect(getJob(t.db, t.id)).toMatchObject({ state: 'waiting', lastError: 'resent: the earlier attempt never reached Bandwidth' });
  });
});

describe('superseded attempts in the store', () => {
  const temp = useTempDatabase('sb-retry-store-');

  it('keep every earlier attempt’s id as the message’s, while the current id is only the new attempt’s', () => {
    const db = temp.db;
    const thread = upsertThread(db, threadKey(OURS, [ANN]), 1).id;
    const m = insertMessage(db, { threadId: thread, direction: 'out', from: OURS, to: [ANN], text: 'hi', status: 'queued', createdAt: 1, segments: 1, encoding: 'GSM-7' });
    const attempt = (id: string, at: number) => {
      db.transaction(() => acceptMessage(db, m.id, id, at))();
      db.prepare("UPDATE messages SET status = 'failed' WHERE id = ?").run(m.id);
      db.prepare("UPDATE deliveries SET status = 'failed' WHERE message_id = ?").run(m.id);
    };
    attempt('bw-A', 2);
    expect(retryMessage(db, m.id, 3)).toMatchObject({ status: 'queued', bandwidthId: null });
    attempt('bw-B', 4);
    retryMessage(db, m.id, 5);
    db.transaction(() => acceptMessage(db, m.id, 'bw-C', 6))();
    for (const id of ['bw-A', 'bw-B', 'bw-C']) expect(findMessageByBandwidthId(db, 'out', id)?.id, id).toBe(m.id);
    expect(getMessage(db, m.id)).toMatchObject({ status: 'accepted', bandwidthId: 'bw-C' });
    expect(findMessageByBandwidthId(db, 'out', 'bw-unknown')).toBeNull();
  });
});

describe('migration 017', () => {
  it('moves the earlier attempt’s id of a message retried before the upgrade and not taken again, and only that', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-retry-migration-'));
    const db = new Database(join(dir, 'switchboard.db'));
    try {
      db.pragma('foreign_keys = ON');
      const at = migrations.indexOf(m017);
      runMigrations(db, migrations.slice(0, at));
      db.prepare("INSERT INTO threads (id, thread_key, our_number, participants, created_at, last_activity_at) VALUES ('t', 'k', ?, ?, 0, 0)").run(OURS, JSON.stringify([ANN]));
      const add = db.prepare(
        `INSERT INTO messages (id, bandwidth_id, thread_id, direction, from_number, to_numbers, status, created_at, updated_at) VALUES (?, ?, 't', ?, ?, ?, ?, 1, 1)`,
      );
      add.run('retried', 'bw-A', 'out', OURS, JSON.stringify([ANN]), 'queued');
      add.run('going', 'bw-B', 'out', OURS, JSON.stringify([ANN]), 'sending');
      add.run('waiting', null, 'out', OURS, JSON.stringify([ANN]), 'queued');
      add.run('taken', 'bw-C', 'out', OURS, JSON.stringify([ANN]), 'accepted');
      add.run('received', 'bw-D', 'in', ANN, JSON.stringify([OURS]), 'received');
      runMigrations(db, migrations.slice(0, at + 1));
      expect(db.prepare('SELECT id, bandwidth_id FROM messages ORDER BY id').raw().all()).toEqual([
        ['going', null],
        ['received', 'bw-D'],
        ['retried', null],
        ['taken', 'bw-C'],
        ['waiting', null],
      ]);
      expect(db.prepare('SELECT message_id, bandwidth_id FROM superseded_attempts ORDER BY message_id').raw().all()).toEqual([
        ['going', 'bw-B'],
        ['retried', 'bw-A'],
      ]);
      // They go with their message.
      db.prepare("DELETE FROM messages WHERE id = 'retried'").run();
      expect(db.prepare('SELECT count(*) FROM superseded_attempts').pluck().get()).toBe(1);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

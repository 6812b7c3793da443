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
/** Ingests a body and waits for its events, which follow the answer in the next turn (see groupCommit). */
const ingestAndAnnounce = (inbound: ReturnType<typeof createInbound>) => async (body: Parameters<typeof inbound.ingest>[0]) => {
  await inbound.ingest(body);
  await new Promise((resolve) => setImmediate(resolve));
};

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
    const ingest = ingestAndAnnounce(inbound);
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
    await ingest(status('message-delivered', 'bw-1', ANN));
    expect(changed[0]).toMatchObject({ id: known, status: 'accepted', updatedAt: 200, deliveries: [{ recipient: ANN, status: 'delivered' }, { recipient: BOB, status: 'accepted' }] });
    expectStored();
    now = 300;
    await ingest(status('message-failed', 'bw-1', BOB, { errorCode: 4720 }));
    expect(changed[0]).toMatchObject({ status: 'delivered', errorCode: 4720, deliveries: [{ status: 'delivered' }, { status: 'failed', errorCode: 4720, updatedAt: 300 }] });
    expectStored();
    // A late event moves nothing and announces nothing.
    await ingest(status('message-sent', 'bw-1', ANN, { time: 1_700_000_000_001 }));
    expect(changed).toEqual([]);

    now = 400;
    await ingest(status('message-sent', 'bw-2', ANN, { tag: bandwidthTag(tagged) }));
    expect(changed[0]).toMatchObject({ id: tagged, bandwidthId: 'bw-2', status: 'accepted', updatedAt: 400 });
    expectStored();
  });
});

/** An inbound message as Bandwidth posts it (REFERENCE.md §6), to `ours` from `from`, copying `others`. */
function received(id: string, from: string, extra: { ours?: string; others?: string[]; media?: string[]; time?: number; text?: string } = {}) {
  const ours = extra.ours ?? OURS;
  const time = new Date(extra.time ?? 1_700_000_000_000).toISOString();
  return callbackBody.parse([
    {
      type: 'message-received',
      time,
      to: ours,
      description: 'Incoming message received',
      message: { id, time, direction: 'in', to: [ours, ...(extra.others ?? [])], from, text: extra.text ?? 'hello', media: extra.media, segmentCount: 1 },
    },
  ]);
}

describe('inbound messages', () => {
  const temp = useTempDatabase('sb-inbound-');

  function start() {
    const created: Message[] = [];
    const warnings: string[] = [];
    const downloads: string[] = [];
    const ctx = {
      db: temp.db,
      clock: { now: () => 500 },
      logger: { info: () => {}, warn: (text: string) => warnings.push(text), error: () => {} },
      bus: { emit: (event: string, payload: { message?: Message }) => void (event === 'message.created' && created.push(payload.message!)) },
    } as unknown as EngineContext;
    const inbound = createInbound(ctx, { download: (id: string) => void downloads.push(id) } as unknown as MediaService, () => {});
    const ingest = ingestAndAnnounce(inbound);
    return { inbound, ingest, created, warnings, downloads };
  }
  const count = () => temp.db.prepare("SELECT count(*) FROM messages WHERE direction = 'in'").pluck().get();

  it('announce each message exactly as stored, without reading it back', async () => {
    const { ingest, created, downloads } = start();
    await ingest(received('in-1', ANN, { text: 'héllo 👋' }));
    await ingest(received('in-2', ANN, { others: [BOB], media: ['https://messaging.bandwidth.com/api/v2/users/1/media/a/b/photo.jpg'], time: 1_700_000_000_500 }));
    expect(created.map((m) => [m.to, m.encoding, m.attachments.map((a) => a.name)])).toEqual([
      [[OURS], 'UCS-2', []],
      [[BOB, OURS], 'GSM-7', ['photo.jpg']],
    ]);
    for (const message of created) expect(message).toEqual(getMessage(temp.db, message.id));
    expect(downloads).toEqual([created[1]!.attachments[0]!.id]);
  });

  it('file a number however it is written into the one thread of its E.164 form', async () => {
    const { inbound, ingest, created, warnings } = start();
    await ingest(received('in-1', '(919) 555-1234'));
    await ingest(received('in-2', ANN));
    await ingest(received('in-3', '919-555-1234', { ours: '(919) 555-0100' }));
    expect(created.map((m) => [m.from, m.to])).toEqual(Array.from({ length: 3 }, () => [ANN, [OURS]]));
    expect(new Set(created.map((m) => m.threadId)).size).toBe(1);
    // Written like the key of the group thread with Ann and Bob, but not one number: not filed there.
    upsertThread(temp.db, threadKey(OURS, [ANN, BOB]), 1);
    await ingest(received('in-6', `${ANN},${BOB}`));
    expect(warnings).toHaveLength(1);
    // A group member that is not a number is left out of the thread, and the message kept (failing the event would
    // only make Bandwidth retry it for 24 h and then drop it).
    await inbound.ingest(received('in-5', ANN, { others: ['12'] }));
    expect(count()).toBe(4);
    expect(warnings).toHaveLength(2);
  });

  it('keep messages from short codes and sender names, as written, each in its own thread, without acting on keywords', async () => {
    const { ingest, created, warnings } = start();
    const replies: string[] = [];
    const ctx = { db: temp.db, clock: { now: () => 500 }, logger: { info: () => {}, warn: () => {}, error: () => {} }, bus: { emit: () => {} } } as unknown as EngineContext;
    const keywords = ingestAndAnnounce(createInbound(ctx, { download: () => {} } as unknown as MediaService, (reply) => void replies.push(reply.to)));
    await ingest(received('in-1', '22395', { text: 'Your code is 123456' }));
    await ingest(received('in-2', 'ACME'));
    await ingest(received('in-3', 'ACME', { text: 'again' }));
    // A name is never read as a number, though libphonenumber would read this one as Ann's (it drops the letter).
    await ingest(received('in-6', '9195551234X'));
    await keywords(received('in-4', 'BANK ALERT', { text: 'STOP' }));
    await keywords(received('in-5', '22395', { text: 'HELP' }));
    expect(warnings).toEqual([]);
    expect(created.map((m) => [m.from, m.to])).toEqual([
      ['22395', [OURS]],
      ['ACME', [OURS]],
      ['ACME', [OURS]],
      ['9195551234X', [OURS]],
    ]);
    const threads = temp.db.prepare('SELECT id, participants FROM threads ORDER BY rowid').all() as { id: string; participants: string }[];
    expect(threads.map((t) => JSON.parse(t.participants))).toEqual([['22395'], ['ACME'], ['9195551234X'], ['BANK ALERT']]);
    expect(created.map((m) => m.threadId)).toEqual([threads[0]!.id, threads[1]!.id, threads[1]!.id, threads[2]!.id]);
    // They cannot be replied to: STOP and HELP are kept as messages, opt nobody out and get no reply.
    expect(count()).toBe(6);
    expect(replies).toEqual([]);
    expect(temp.db.prepare('SELECT count(*) FROM opt_outs').pluck().get()).toBe(0);
  });

  it('keep messages from, and with, numbers libphonenumber does not know, as written, in their own threads', async () => {
    const { ingest, created, warnings } = start();
    const replies: string[] = [];
    const ctx = { db: temp.db, clock: { now: () => 500 }, logger: { info: () => {}, warn: () => {}, error: () => {} }, bus: { emit: () => {} } } as unknown as EngineContext;
    const keywords = ingestAndAnnounce(createInbound(ctx, { download: () => {} } as unknown as MediaService, (reply) => void replies.push(reply.to)));
    // 555-01xx is a fictional range: E.164 in form, not a valid number.
    const FICTIONAL = '+15555550123';
    await ingest(received('in-1', FICTIONAL));
    await ingest(received('in-2', ANN, { others: [FICTIONAL, '12'] }));
    await keywords(received('in-3', FICTIONAL, { text: 'STOP' }));
    const threads = temp.db.prepare('SELECT id, participants FROM threads ORDER BY length(participants)').all() as { id: string; participants: string }[];
    expect(threads.map((t) => JSON.parse(t.participants))).toEqual([[FICTIONAL], [FICTIONAL, ANN]]);
    expect(created.map((m) => [m.from, m.to, m.threadId])).toEqual([
      [FICTIONAL, [OURS], threads[0]!.id],
      [ANN, [FICTIONAL, OURS], threads[1]!.id],
    ]);
    expect(warnings).toEqual(['group members that are no phone numbers, short codes or sender names were left out of the thread']);
    // It cannot be replied to, so its STOP is kept as a message but neither opts it out nor gets a confirmation.
    expect(count()).toBe(3);
    expect(replies).toEqual([]);
    expect(temp.db.prepare('SELECT count(*) FROM opt_outs').pluck().get()).toBe(0);
  });

  it('store a redelivered message once, even when Bandwidth gives it another time', async () => {
    const { ingest, created } = start();
    await ingest(received('in-1', ANN));
    await ingest(received('in-1', ANN));
    await Promise.all([ingest(received('in-2', ANN)), ingest(received('in-2', ANN, { time: 1_700_000_009_000 }))]);
    expect(created.map((m) => m.bandwidthId)).toEqual(['in-1', 'in-2']);
    expect(count()).toBe(2);
  });
});

describe('status callbacks for a recipient written otherwise', () => {
  const temp = useTempDatabase('sb-inbound-');

  it('move the delivery of that recipient', async () => {
    const ctx = { db: temp.db, clock: { now: () => 100 }, logger: { info: () => {}, warn: () => {}, error: () => {} }, bus: { emit: () => {} } } as unknown as EngineContext;
    const inbound = createInbound(ctx, {} as MediaService, () => {});
    const thread = upsertThread(temp.db, threadKey(OURS, [ANN, BOB]), 1).id;
    const { id } = insertMessage(temp.db, { threadId: thread, direction: 'out', from: OURS, to: [ANN, BOB], text: 'hi', status: 'queued', createdAt: 1, segments: 1, encoding: 'GSM-7' });
    advanceMessageStatus(temp.db, id, { status: 'sent', at: 2 });
    setBandwidthId(temp.db, id, 'bw-9', 2);
    await inbound.ingest(status('message-delivered', 'bw-9', '(919) 555-5678'));
    expect(getMessage(temp.db, id)!.deliveries.map((d) => [d.recipient, d.status])).toEqual([
      [ANN, 'sent'],
      [BOB, 'delivered'],
    ]);
  });
});

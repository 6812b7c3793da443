import { describe, expect, it } from 'vitest';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { Message } from '../../../../shared/ipc/schemas';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { callbackBody } from '../callbacks/schema';
import { advanceMessageStatus, insertMessage, setBandwidthId } from '../store/messages';
import { optedOutAmong } from '../store/optOuts';
import { getThread, upsertThread } from '../store/threads';
import type { EngineContext } from './context';
import { createInbound, type Reply } from './inbound';
import type { MediaService } from './media';

const OURS = '+19195550100';
const ANN = '+19195551234';
const BOB = '+19195555678';
const T = 1_700_000_000_000;

/** A message Ann sent at `timeMs` (Bandwidth's message time), as its callback posts it (REFERENCE.md §6). */
function received(id: string, text: string, timeMs: number, extra: { media?: string[]; others?: string[] } = {}) {
  const time = new Date(timeMs).toISOString();
  return callbackBody.parse([
    { type: 'message-received', time, to: OURS, description: 'Incoming message received', message: { id, time, direction: 'in', to: [OURS, ...(extra.others ?? [])], from: ANN, text, media: extra.media, segmentCount: 1 } },
  ]);
}

/** Bandwidth's report that a message of ours to Ann failed at `timeMs` with `errorCode`. */
function failed(id: string, errorCode: number, timeMs: number) {
  const time = new Date(timeMs).toISOString();
  return callbackBody.parse([{ type: 'message-failed', time, to: ANN, description: 'failed', errorCode, message: { id, time, direction: 'out', to: [ANN], from: OURS, text: '' } }]);
}

describe('compliance keywords and media names of inbound messages', () => {
  const temp = useTempDatabase('sb-inbound-keywords-');

  function start() {
    const created: Message[] = [];
    const replies: Reply[] = [];
    const ctx = {
      db: temp.db,
      clock: { now: () => 500 },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      bus: { emit: (event: string, payload: { message?: Message }) => void (event === 'message.created' && created.push(payload.message!)) },
    } as unknown as EngineContext;
    const inbound = createInbound(ctx, { download: () => {} } as unknown as MediaService, (reply) => replies.push(reply));
    /** Ingests a body and waits for its events and replies, which follow the answer in the next turn (see groupCommit). */
    const ingest = async (body: Parameters<typeof inbound.ingest>[0]) => {
      await inbound.ingest(body);
      await new Promise((resolve) => setImmediate(resolve));
    };
    const keywords = () => replies.splice(0).map((r) => r.keyword);
    const optedOut = () => optedOutAmong(temp.db, OURS, [ANN]).length === 1;
    return { ingest, created, keywords, optedOut };
  }

  it('keep the STOP a customer sent last when the START they sent before it arrives later', async () => {
    const { ingest, created, keywords, optedOut } = start();
    await ingest(received('in-stop', 'STOP', T + 2000));
    expect(keywords()).toEqual(['opt-out']);
    // Delayed: Bandwidth's delivery is at-least-once and unordered (REFERENCE.md §6).
    await ingest(received('in-start', 'START', T + 1000));
    expect(optedOut()).toBe(true);
    // No "subscribed again" to someone whose last word was STOP; the message itself is still stored and shown.
    expect(keywords()).toEqual([]);
    expect(created.map((m) => m.text)).toEqual(['STOP', 'START']);
    expect(getThread(temp.db, created[0]!.threadId)!.optedOut).toBe(true);
  });

  it('keep the START a customer sent last when the STOP they sent before it arrives later', async () => {
    const { ingest, keywords, optedOut, created } = start();
    await ingest(received('in-start', 'START', T + 2000));
    await ingest(received('in-stop', 'STOP', T + 1000));
    expect(optedOut()).toBe(false);
    expect(keywords()).toEqual(['opt-in']);
    expect(getThread(temp.db, created[0]!.threadId)!.optedOut).toBe(false);
  });

  it('apply keywords that arrive in the order they were sent, each with its reply, and HELP unless opted out', async () => {
    const { ingest, keywords, optedOut } = start();
    await ingest(received('in-0', 'help', T));
    await ingest(received('in-1', 'STOP', T + 1000));
    expect(optedOut()).toBe(true);
    // Their STOP stands: no help text to an opted-out number (the carrier would refuse it with 4775).
    await ingest(received('in-2', 'help', T + 1500));
    await ingest(received('in-3', 'Start', T + 2000));
    expect(optedOut()).toBe(false);
    await ingest(received('in-4', 'quit', T + 3000));
    expect(optedOut()).toBe(true);
    expect(keywords()).toEqual(['help', 'opt-out', 'opt-in', 'opt-out']);
    // A STOP typed into a group chat is talk, not an opt-out.
    await ingest(received('in-5', 'START', T + 4000, { others: [BOB] }));
    expect(optedOut()).toBe(true);
    expect(keywords()).toEqual([]);
  });

  it('keep a carrier opt-out (4775) against an older START, and let a newer START undo it', async () => {
    const { ingest, keywords, optedOut } = start();
    const thread = upsertThread(temp.db, threadKey(OURS, [ANN]), 1).id;
    const { id } = insertMessage(temp.db, { threadId: thread, direction: 'out', from: OURS, to: [ANN], text: 'hi', status: 'queued', createdAt: 1, segments: 1, encoding: 'GSM-7' });
    advanceMessageStatus(temp.db, id, { status: 'accepted', at: 2 });
    setBandwidthId(temp.db, id, 'bw-1', 2);
    await ingest(failed('bw-1', 4775, T + 2000));
    expect(optedOut()).toBe(true);
    await ingest(received('in-old-start', 'START', T + 1000));
    expect(optedOut()).toBe(true);
    expect(keywords()).toEqual([]);
    await ingest(received('in-new-start', 'START', T + 3000));
    expect(optedOut()).toBe(false);
    expect(keywords()).toEqual(['opt-in']);
  });

  it('do not let a 4775 older than the START that followed it opt the customer out again', async () => {
    const { ingest, optedOut } = start();
    const thread = upsertThread(temp.db, threadKey(OURS, [ANN]), 1).id;
    const { id } = insertMessage(temp.db, { threadId: thread, direction: 'out', from: OURS, to: [ANN], text: 'hi', status: 'queued', createdAt: 1, segments: 1, encoding: 'GSM-7' });
    advanceMessageStatus(temp.db, id, { status: 'accepted', at: 2 });
    setBandwidthId(temp.db, id, 'bw-1', 2);
    await ingest(received('in-start', 'START', T + 3000));
    await ingest(failed('bw-1', 4775, T + 2000));
    expect(optedOut()).toBe(false);
  });

  it('store the message, text and all, when an attachment URL cannot be named', async () => {
    const { ingest, created } = start();
    const media = ['https://messaging.bandwidth.com/api/v2/users/1/media/in-pct/0/50%off.jpg', 'not a url', 'https://messaging.bandwidth.com/api/v2/users/1/media/in/0/a%20b.png'];
    await ingest(received('in-media', 'see attached', T, { media }));
    expect(created.map((m) => [m.text, m.attachments.map((a) => a.name)])).toEqual([['see attached', ['50%off.jpg', 'attachment-2', 'a b.png']]]);
  });
});

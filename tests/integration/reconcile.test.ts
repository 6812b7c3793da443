import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message, MessageStatus } from '../../shared/ipc/schemas';
import { CoreHarness } from '../support/coreHarness';

const OURS = '+19195550100';
/** Statuses in the order an outbound message may move through them (delivered and failed are both final). */
const RANK: Partial<Record<MessageStatus, number>> = { scheduled: 0, queued: 1, sending: 2, accepted: 3, sent: 4, 'no-receipt': 5, delivered: 6, failed: 6 };

interface Attempt {
  messageId: string;
  type: string;
  to: string;
  status: number | null;
  outcome: string;
}

describe('reconciliation and callback faults', () => {
  // Real time (timeScale 1) so receipts take their time; the 9902 receipt comes 4 s late.
  const h = new CoreHarness({ timeScale: 1, seed: 5, delays: { dlrTimeoutMs: [4000, 4000] } }, { engine: { reconcile: { everyMs: 250, quietForMs: 300 } } });
  beforeAll(() => h.start());
  afterAll(() => h.stop());
  afterEach(async () => {
    await fetch(`${h.controlUrl}/settings`, {
      method: 'PATCH',
      body: JSON.stringify({ callbackDropRate: 0, callbackDuplicateRate: 0, callbackReorderMs: 0, callbacksOfflineUntil: 0 }),
    });
  });

  const patchSandbox = async (settings: Record<string, number>) => {
    const response = await fetch(`${h.controlUrl}/settings`, { method: 'PATCH', body: JSON.stringify(settings) });
    expect(response.status).toBe(200);
  };
  const attempts = async () => (await h.control<{ attempts: Attempt[] }>('/callbacks')).attempts;
  /** Every status the app announced for a message, in order. */
  const history = () => {
    const seen = new Map<string, MessageStatus[]>();
    const off = h.client.on('message.statusChanged', ({ message }) => seen.set(message.id, [...(seen.get(message.id) ?? []), message.status]));
    return { seen, off };
  };
  const settled = (id: string, status: MessageStatus, timeoutMs = 15_000) =>
    h.next('message.statusChanged', ({ message }) => message.id === id && message.status === status, timeoutMs).then((p) => p.message);

  it('recovers delivered and failed from the message list when every status callback is lost', async () => {
    await patchSandbox({ callbackDropRate: 1 });
    const { message: good } = await h.client.call('messages.send', { from: OURS, to: ['+19845550141'], text: 'lost receipt, delivered' });
    const { message: bad } = await h.client.call('messages.send', { from: OURS, to: ['+19195554720'], text: 'lost receipt, failed' });
    const [delivered, failed] = await Promise.all([settled(good.id, 'delivered'), settled(bad.id, 'failed')]);
    expect(failed.errorCode).toBe(4720);
    expect(delivered.deliveries).toEqual([expect.objectContaining({ recipient: '+19845550141', status: 'delivered' })]);
    // Nothing reached the listener for these two: the statuses came from the list.
    const ours = (await attempts()).filter((a) => a.messageId === delivered.bandwidthId || a.messageId === failed.bandwidthId);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((a) => a.outcome === 'dropped')).toBe(true);
  });

  it('marks a message with no receipt in time no-receipt, and the late receipt still settles it', async () => {
    await h.client.call('settings.update', { noReceiptAfterMs: 1000 });
    await h.control('/callbacks/offline', { durationMs: 3000 });
    const { seen, off } = history();
    try {
      const { message } = await h.client.call('messages.send', { from: OURS, to: ['+19195559902'], text: 'will the receipt come?' });
      await settled(message.id, 'no-receipt');
      const failed = await settled(message.id, 'failed');
      expect(failed.errorCode).toBe(9902);
      const statuses = seen.get(message.id)!;
      expect(statuses.indexOf('no-receipt')).toBeLessThan(statuses.indexOf('failed'));
    } finally {
      off();
      await h.client.call('settings.update', { noReceiptAfterMs: 2 * 60 * 60_000 });
    }
  });

  it('duplicated and reordered callbacks never move a status backwards nor double an inbound message', async () => {
    await patchSandbox({ callbackDuplicateRate: 1, callbackReorderMs: 1500 });
    const { seen, off } = history();
    try {
      const sent: Message[] = [];
      for (const [i, to] of [['+19845550131'], ['+19845550132'], ['+19845550133', '+19845550134']].entries()) {
        sent.push((await h.client.call('messages.send', { from: OURS, to, text: `dup and reorder ${i}` })).message);
      }
      const customer = '+19845550135';
      for (const text of ['first inbound', 'second inbound', 'third inbound']) await h.control('/inbound', { from: customer, to: OURS, text });

      const finalOf = async () => Promise.all(sent.map(async (m) => (await h.client.call('messages.list', { threadId: m.threadId })).messages.find((x) => x.id === m.id)!));
      const inboundThread = async () => (await h.client.call('threads.list', {})).threads.find((t) => t.participants.includes(customer));
      // Until every message is final and every inbound one is in, then until every status event of ours has
      // come twice (Bandwidth's events for an SMS: sent, delivered; for a group also sending, per recipient).
      const until = async (done: () => Promise<boolean>) => {
        while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 200));
      };
      await until(async () => (await finalOf()).every((m) => m.status === 'delivered' || m.status === 'failed') && (await inboundThread())?.preview?.text === 'third inbound');
      const final = await finalOf();
      const expected = final.flatMap((m) =>
        m.to.flatMap((to) => (m.to.length > 1 ? ['message-sending', 'message-sent', 'message-delivered'] : ['message-sent', 'message-delivered']).map((type) => ({ messageId: m.bandwidthId!, to, type }))),
      );
      let delivered: Attempt[] = [];
      const count = (e: Pick<Attempt, 'messageId' | 'to' | 'type'>) => delivered.filter((b) => b.messageId === e.messageId && b.type === e.type && b.to === e.to).length;
      await until(async () => {
        delivered = (await attempts()).filter((a) => a.status !== null && a.status >= 200 && a.status < 300 && final.some((m) => m.bandwidthId === a.messageId));
        return expected.every((e) => count(e) >= 2);
      });
      const ids = new Set(sent.map((m) => m.id));
      // The faults really happened: each event arrived twice, and some arrived after a later one.
      expect(delivered.every((a) => count(a) === 2)).toBe(true);
      const order = ['message-sending', 'message-sent', 'message-delivered'];
      const inversions = delivered.filter((a, i) => delivered.slice(i + 1).some((b) => b.messageId === a.messageId && b.to === a.to && order.indexOf(b.type) < order.indexOf(a.type)));
      expect(inversions.length).toBeGreaterThan(0);

      for (const m of final) {
        expect(m.status).toBe('delivered');
        expect(m.deliveries.every((d) => d.status === 'delivered')).toBe(true);
        const ranks = seen.get(m.id)!.map((s) => RANK[s]!);
        expect(ranks, seen.get(m.id)!.join(' → ')).toEqual([...ranks].sort((a, b) => a - b));
      }
      expect([...seen.keys()].filter((id) => ids.has(id))).toHaveLength(sent.length);

      const thread = (await inboundThread())!;
      const { messages } = await h.client.call('messages.list', { threadId: thread.id });
      expect(messages.map((m) => m.text).sort()).toEqual(['first inbound', 'second inbound', 'third inbound']);
      expect(thread.unread).toBe(3);
      const log = (await attempts()).filter((a) => a.status !== null && a.status >= 200 && a.status < 300);
      const inbound = log.filter((a) => a.type === 'message-received' && messages.some((m) => m.bandwidthId === a.messageId));
      expect(inbound).toHaveLength(6);
    } finally {
      off();
    }
  });
});

describe('reconciliation on start', () => {
  // Only the pass at start can help here: the periodic one is minutes away.
  const h = new CoreHarness({ timeScale: 0.2, seed: 9 }, { engine: { reconcile: { quietForMs: 0 } } });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('settles messages whose receipts were lost while the app was closed', async () => {
    const response = await fetch(`${h.controlUrl}/settings`, { method: 'PATCH', body: JSON.stringify({ callbackDropRate: 1 }) });
    expect(response.status).toBe(200);
    const accepted = h.next('message.statusChanged', ({ message }) => message.text === 'delivered while we were away' && message.status === 'accepted');
    const { message } = await h.client.call('messages.send', { from: OURS, to: ['+19845550121'], text: 'delivered while we were away' });
    const { bandwidthId } = (await accepted).message;
    await h.core.stop();
    // Bandwidth delivers it while we are closed; its receipt is lost.
    for (;;) {
      const { messages } = await h.control<{ messages: { id: string; recipients: Record<string, { status: string }> }[] }>('/messages');
      if (messages.find((m) => m.id === bandwidthId)?.recipients['+19845550121']?.status === 'DELIVERED') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await h.start();
    for (;;) {
      const { messages } = await h.client.call('messages.list', { threadId: message.threadId });
      const now = messages.find((m) => m.id === message.id)!;
      expect(['accepted', 'sent', 'delivered']).toContain(now.status);
      if (now.status === 'delivered') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});

describe('reconciliation in batches', () => {
  // One lookup per pass, and a receipt that takes a minute: the stuck message must not hog every pass.
  const h = new CoreHarness({ timeScale: 1, seed: 13, delays: { dlrTimeoutMs: [60_000, 60_000] } }, { engine: { reconcile: { batch: 1, everyMs: 200, quietForMs: 200 } } });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('reaches every waiting message in turn, not only the oldest ones', async () => {
    const response = await fetch(`${h.controlUrl}/settings`, { method: 'PATCH', body: JSON.stringify({ callbackDropRate: 1 }) });
    expect(response.status).toBe(200);
    const stuckSent = h.next('message.statusChanged', ({ message }) => message.text === 'receipt a minute away' && message.status === 'sent');
    await h.client.call('messages.send', { from: OURS, to: ['+19195559902'], text: 'receipt a minute away' });
    await stuckSent;
    const delivered = h.next('message.statusChanged', ({ message }) => message.text === 'lost receipt behind a stuck one' && message.status === 'delivered');
    await h.client.call('messages.send', { from: OURS, to: ['+19845550122'], text: 'lost receipt behind a stuck one' });
    await delivered;
  });
});

describe('stopping during a reconciliation pass', () => {
  const warnings: string[] = [];
  const logger = { info() {}, error() {}, warn: (message: string, fields?: object) => warnings.push(`${message} ${JSON.stringify(fields)}`) };
  // A receipt a minute away keeps the message waiting, so every pass looks it up.
  const h = new CoreHarness({ timeScale: 1, seed: 17, delays: { dlrTimeoutMs: [60_000, 60_000] } }, { logger, engine: { reconcile: { everyMs: 100, quietForMs: 0 } } });
  beforeAll(() => h.start());
  // The test stops the core itself.
  afterAll(async () => {
    await h.sandbox.stop();
    rmSync(h.dataDir, { recursive: true, force: true });
  });

  it('waits for the lookup in flight, so nothing touches the database after the core stops', async () => {
    const patch = (settings: Record<string, number>) => fetch(`${h.controlUrl}/settings`, { method: 'PATCH', body: JSON.stringify(settings) });
    expect((await patch({ callbackDropRate: 1 })).status).toBe(200);
    const sent = h.next('message.statusChanged', ({ message }) => message.text === 'stop while looking' && message.status === 'sent');
    await h.client.call('messages.send', { from: OURS, to: ['+19195559902'], text: 'stop while looking' });
    await sent;
    // From now on each lookup hangs 1.5 s: some pass is in flight when the core stops.
    expect((await patch({ latencyMs: 1500 })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const escaped: unknown[] = [];
    const onRejection = (reason: unknown) => escaped.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      await h.core.stop();
      // Before the fix the pass went on after the database closed: "The database connection is not open".
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(warnings).toEqual([]);
      expect(escaped).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

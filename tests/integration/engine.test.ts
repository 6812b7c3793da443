import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createKeyFileEncryptor } from '../../electron/main/core/platform/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainFailure } from '../../shared/domain/errorCodes';
import type { Message } from '../../shared/ipc/schemas';
import { CoreHarness } from '../support/coreHarness';

const OURS = '+19195550100';
const CUSTOMER = '+19845550177';

describe('the message engine against the sandbox', () => {
  const h = new CoreHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const settled = (id: string, status: Message['status']) => h.next('message.statusChanged', ({ message }) => message.id === id && message.status === status);

  it('configures itself against the sandbox: mode, numbers, and callbacks pointed at its listener', async () => {
    const status = await h.client.call('account.status', {});
    expect(status).toMatchObject({ mode: 'sandbox', connection: 'online', callbackUrl: h.core.callbackUrl });
    expect(status.numbers.map((n) => n.number)).toContain(OURS);
  });

  it('indexes new messages for search within seconds, without waiting for a search', async () => {
    const { message } = await h.client.call('messages.send', { from: OURS, to: [CUSTOMER], text: 'indexed in the background' });
    const look = new Database(join(h.dataDir, 'switchboard.db'), { readonly: true });
    try {
      const seq = look.prepare('SELECT seq FROM messages WHERE id = ?').pluck().get(message.id) as number;
      const indexed = () => look.prepare('SELECT indexed_seq FROM search_index_state').pluck().get() as number;
      for (let waited = 0; indexed() < seq && waited < 5000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(indexed()).toBeGreaterThanOrEqual(seq);
      expect(look.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'background'").pluck().all()).toEqual([seq]);
    } finally {
      look.close();
    }
  });

  it('sends an SMS that moves queued → accepted → delivered, written before any network call', async () => {
    const delivered = h.next('message.statusChanged', ({ message }) => message.text === 'Hello from the engine' && message.status === 'delivered');
    const { message } = await h.client.call('messages.send', { from: OURS, to: ['(984) 555-0177'], text: 'Hello from the engine' });
    expect(message).toMatchObject({ direction: 'out', from: OURS, to: [CUSTOMER], status: 'queued', segments: 1, encoding: 'GSM-7' });
    const done = (await delivered).message;
    expect(done.bandwidthId).toMatch(/^\d{13}[a-z0-9]{16}$/);
    expect(done.deliveries).toEqual([expect.objectContaining({ recipient: CUSTOMER, status: 'delivered' })]);
    const sent = await h.control<{ messages: { text: string }[] }>('/messages');
    expect(sent.messages.filter((m) => m.text === 'Hello from the engine')).toHaveLength(1);
    // The status came by callbacks to our listener, accepted with the credentials we gave the application.
    const log = await h.control<{ attempts: { messageId: string; url: string; status: number; withCredentials: boolean }[] }>('/callbacks');
    const ours = log.attempts.filter((a) => a.messageId === done.bandwidthId);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((a) => a.url === h.core.callbackUrl && a.status === 204 && a.withCredentials)).toBe(true);
    const { threads } = await h.client.call('threads.list', {});
    expect(threads.find((t) => t.id === done.threadId)?.preview).toMatchObject({ text: 'Hello from the engine', status: 'delivered' });
  });

  it('records a carrier failure with its code; 4775 also opts the number out so the next send is refused', async () => {
    const { message } = await h.client.call('messages.send', { from: OURS, to: ['+19195554775'], text: 'Are you there?' });
    const failed = (await settled(message.id, 'failed')).message;
    expect(failed.errorCode).toBe(4775);
    await expect(h.client.call('messages.send', { from: OURS, to: ['+19195554775'], text: 'again' })).rejects.toMatchObject({ code: 'OPTED_OUT' });
  });

  it('a retry of a failed message sends it again for real', async () => {
    const { message } = await h.client.call('messages.send', { from: OURS, to: ['+19195554720'], text: 'retry me' });
    await settled(message.id, 'failed');
    const again = settled(message.id, 'failed');
    const retried = await h.client.call('messages.retry', { messageId: message.id });
    expect(retried.message.status).toBe('queued');
    await again;
    const sent = await h.control<{ messages: { text: string }[] }>('/messages');
    expect(sent.messages.filter((m) => m.text === 'retry me')).toHaveLength(2);
  });

  it('an inbound STOP opts the customer out, confirms once, and blocks the next send until START', async () => {
    const customer = '+19845550188';
    const created: Message[] = [];
    const off = h.client.on('message.created', ({ message }) => created.push(message));
    const optedOut = h.next('thread.updated', ({ thread }) => thread.participants.includes(customer) && thread.optedOut);
    const confirmed = h.next('message.statusChanged', ({ message }) => message.to[0] === customer && message.status === 'delivered');
    await h.control('/inbound', { from: customer, to: OURS, text: ' Stop ' });
    expect((await optedOut).thread.unread).toBe(1);
    // The confirmation goes out (priority, past the opt-out) and the carrier lets that one through.
    // Marked as automatic: the bubble shows the tag, so no one takes it for an agent's reply.
    expect((await confirmed).message).toMatchObject({ text: expect.stringMatching(/unsubscribed/), tag: 'automatic reply' });
    off();
    expect(created.map((m) => m.direction)).toEqual(['in', 'out']);
    await expect(h.client.call('messages.send', { from: OURS, to: [customer], text: 'still there?' })).rejects.toMatchObject({
      code: 'OPTED_OUT',
      message: expect.stringContaining('START'),
    });
    const optedIn = h.next('thread.updated', ({ thread }) => thread.participants.includes(customer) && !thread.optedOut);
    await h.control('/inbound', { from: customer, to: OURS, text: 'START' });
    await optedIn;
    const { message } = await h.client.call('messages.send', { from: OURS, to: [customer], text: 'welcome back' });
    await settled(message.id, 'delivered');
  });

  it('a group send has one delivery per recipient, each settled by its own callback', async () => {
    const { message } = await h.client.call('messages.send', { from: OURS, to: ['+19845550171', '+19845550172', '+19195554720'], text: 'Team update' });
    expect(message.deliveries).toHaveLength(3);
    const done = await h.next('message.statusChanged', (p) => p.message.id === message.id && p.message.deliveries.every((d) => d.status === 'delivered' || d.status === 'failed'));
    const byRecipient = Object.fromEntries(done.message.deliveries.map((d) => [d.recipient, d.status]));
    expect(byRecipient).toEqual({ '+19845550171': 'delivered', '+19845550172': 'delivered', '+19195554720': 'failed' });
    // A partly delivered group shows delivered (with the failure per recipient); it cannot be retried.
    expect(done.message.status).toBe('delivered');
  });

  it('stages a photo, sends it as MMS (uploaded to the media endpoint) and an inbound MMS is downloaded and served', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff8800' } }).png().toBuffer();
    const staged = await h.core.stageAttachment(png, 'orange.png');
    expect(staged.attachment).toMatchObject({ contentType: 'image/png', size: png.length, state: 'ready' });
    const progress = h.next('attachment.progress', (p) => p.attachmentId === staged.attachment.id && p.state === 'done');
    const { message } = await h.client.call('messages.send', { from: OURS, to: [CUSTOMER], attachments: [staged.attachment.id] });
    await progress;
    await settled(message.id, 'delivered');

    const inbound = h.next('message.updated', ({ message }) => message.direction === 'in' && message.attachments.some((a) => a.state === 'ready'));
    await h.control('/inbound', { from: CUSTOMER, to: OURS, text: 'here is a picture', images: 1 });
    const received = (await inbound).message.attachments[0]!;
    expect(received.url).toBe(`/media/${received.id}`);
    const file = h.core.resolveMedia(received.id)!;
    expect(file.contentType).toMatch(/^image\//);
  });

  it('a send repeated with the same client key (its answer was lost) creates one message, sent once', async () => {
    const input = { from: OURS, to: [CUSTOMER], text: 'exactly once please', clientKey: 'key-0000000001' };
    const [a, b] = await Promise.all([h.client.call('messages.send', input), h.client.call('messages.send', input)]);
    const c = await h.client.call('messages.send', input);
    expect(new Set([a.message.id, b.message.id, c.message.id]).size).toBe(1);
    await settled(a.message.id, 'delivered');
    const sent = await h.control<{ messages: { text: string }[] }>('/messages');
    expect(sent.messages.filter((m) => m.text === 'exactly once please')).toHaveLength(1);
  });

  it('rides out 503s and a full queue (429) with back-off, and the message goes exactly once', async () => {
    await h.control('/fail-next', { count: 2, status: 503 });
    const first = await h.client.call('messages.send', { from: OURS, to: [CUSTOMER], text: 'through the storm' });
    await settled(first.message.id, 'delivered');
    await h.control('/fail-next', { count: 1, status: 429 });
    const second = await h.client.call('messages.send', { from: OURS, to: [CUSTOMER], text: 'past the full queue' });
    await settled(second.message.id, 'delivered');
    const sent = await h.control<{ messages: { text: string }[] }>('/messages');
    expect(sent.messages.filter((m) => m.text === 'through the storm' || m.text === 'past the full queue')).toHaveLength(2);
  });

  it('records and shows a send still out after a moment as `sending`, then accepted', async () => {
    const patch = (settings: Record<string, number>) => fetch(`${h.controlUrl}/settings`, { method: 'PATCH', body: JSON.stringify(settings) });
    const seen: string[] = [];
    const off = h.client.on('message.statusChanged', ({ message }) => {
      if (message.text === 'a slow answer') seen.push(message.status);
    });
    expect((await patch({ latencyMs: 1000 })).status).toBe(200);
    try {
      const { message } = await h.client.call('messages.send', { from: OURS, to: ['+19845550161'], text: 'a slow answer' });
      // `sending` is written when it is announced (most sends are accepted before that and skip it).
      const sending = (await settled(message.id, 'sending')).message;
      expect(sending.deliveries).toEqual([expect.objectContaining({ status: 'sending' })]);
      await settled(message.id, 'accepted');
    } finally {
      await patch({ latencyMs: 0 });
      off();
    }
    expect(seen.slice(0, 2)).toEqual(['sending', 'accepted']);
  });

  it('a final 4xx fails the message with Bandwidth’s reason and no retry loop', async () => {
    await h.control('/fail-next', { count: 1, status: 400 });
    const { message } = await h.client.call('messages.send', { from: OURS, to: [CUSTOMER], text: 'refused outright' });
    const failed = (await settled(message.id, 'failed')).message;
    // Bandwidth's refusal (not the carrier's), its status once, and no Retry: the same request would be refused again.
    expect(failed).toMatchObject({ errorCode: null, bandwidthId: null, errorDetail: 'Bandwidth refused the request: Injected failure (HTTP 400 request-error)' });
    expect(explainFailure(failed, false)).toMatchObject({ title: 'The message was not sent.', canRetry: false });
    expect((await h.client.call('queue.status', {})).depth).toBe(0);
  });

  it('cancels a scheduled message, which then never goes', async () => {
    const { message } = await h.client.call('messages.send', { from: OURS, to: [CUSTOMER], text: 'never mind', sendAt: Date.now() + 60_000 });
    const deleted = h.next('message.deleted', (p) => p.messageId === message.id);
    await h.client.call('messages.cancel', { messageId: message.id });
    await deleted;
    await expect(h.client.call('messages.cancel', { messageId: message.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { messages } = await h.client.call('messages.list', { threadId: message.threadId });
    expect(messages.some((m) => m.id === message.id)).toBe(false);
  });

  it('passes on which conversation the window shows, for the desktop shell', async () => {
    const changed = h.next('view.changed', (p) => p.threadId === 'T-SHOWN');
    await h.client.call('view.set', { threadId: 'T-SHOWN' });
    await expect(changed).resolves.toEqual({ threadId: 'T-SHOWN' });
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    await expect(h.client.call('messages.send', { from: '+19195550199', to: [CUSTOMER], text: 'x' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining("not one of this account's numbers"),
    });
    await expect(h.client.call('messages.send', { from: OURS, to: [CUSTOMER], attachments: ['NOPE'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const { results } = await h.client.call('search.query', { query: 'x' });
    expect(results.filter((r) => r.message.text === 'x')).toHaveLength(0);
  });

  it('a scheduled send waits, survives a restart, and goes when due', async () => {
    const sendAt = Date.now() + 1500;
    const { message } = await h.client.call('messages.send', { from: OURS, to: [CUSTOMER], text: 'later, after a restart', sendAt });
    expect(message.status).toBe('scheduled');
    expect((await h.client.call('queue.status', {})).scheduled).toBeGreaterThanOrEqual(1);
    await h.restart();
    await settled(message.id, 'delivered');
    const sent = await h.control<{ messages: { text: string }[] }>('/messages');
    expect(sent.messages.filter((m) => m.text === 'later, after a restart')).toHaveLength(1);
  });
});

describe('simulated customers through RPC (Sandbox mode)', () => {
  const h = new CoreHarness({ personas: true });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('a simulated group text with a picture lands in the group thread of our number, with its sender', async () => {
    const arrived = h.next('message.updated', ({ message }) => message.direction === 'in' && message.attachments[0]?.state === 'ready');
    await h.client.call('sandbox.simulateInbound', { from: '+19845550151', to: [OURS, '+19845550152'], text: 'Both of us need help', images: 1 });
    const { message } = await arrived;
    expect(message).toMatchObject({ from: '+19845550151', text: 'Both of us need help' });
    const { thread } = await h.client.call('threads.get', { threadId: message.threadId });
    expect(thread).toMatchObject({ ourNumber: OURS, participants: ['+19845550151', '+19845550152'] });
  });

  it('come with names, without overwriting a contact the agent saved', async () => {
    await h.client.call('contacts.upsert', { number: '+19845550152', name: 'Jordan (VIP)' });
    await h.restart();
    const { contacts } = await h.client.call('contacts.list', {});
    const names = Object.fromEntries(contacts.map((c) => [c.number, c.name]));
    expect(names).toMatchObject({ '+19845550151': 'Maya Chen', '+19845550152': 'Jordan (VIP)' });
  });

  it('refuses bad input', async () => {
    await expect(h.client.call('sandbox.simulateInbound', { from: 'not a number!', to: [OURS] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('callback credentials', () => {
  const h = new CoreHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('are made once per data folder and kept encrypted, so callbacks Bandwidth retries after a restart still get in', async () => {
    const stored = () => {
      const db = new Database(join(h.dataDir, 'switchboard.db'), { readonly: true });
      try {
        return JSON.parse(db.prepare("SELECT value FROM settings WHERE key = 'callbackCredentials'").pluck().get() as string) as { cipher: string };
      } finally {
        db.close();
      }
    };
    const before = stored();
    const password = createKeyFileEncryptor(join(h.dataDir, 'secret.key')).decrypt(Buffer.from(before.cipher, 'base64'));
    expect(password.length).toBeGreaterThanOrEqual(20);
    for (const file of ['switchboard.db', 'switchboard.db-wal']) {
      const path = join(h.dataDir, file);
      if (existsSync(path)) expect(readFileSync(path).includes(password), file).toBe(false);
    }
    await h.restart();
    expect(stored()).toEqual(before);
    const arrived = h.next('message.created', ({ message }) => message.text === 'after the restart');
    await h.client.call('sandbox.simulateInbound', { from: CUSTOMER, to: [OURS], text: 'after the restart' });
    await arrived;
  });
});

import type { Page, WebSocketRoute } from '@playwright/test';
import sharp from 'sharp';
import { toE164 } from '../../shared/domain/phone';
import type { Message, SearchResult, Settings, Thread } from '../../shared/ipc/schemas';

/**
 * A scripted engine on the real wire format, for UI specs and the docs screenshots: the page, the renderer, the
 * typed client and the WebSocket framing are real; only the answers behind /rpc (and /upload, /media) come from
 * this script instead of the core. Specs that need the real engine live in engine.spec.ts.
 */
export interface ScriptedEngine {
  threads: Thread[];
  messages: Map<string, Message[]>;
  /** Pushes an event to the page, as the core would. */
  emit(event: string, payload: unknown): void;
  /** Delivers an inbound message into a thread now. */
  receive(threadId: string, text: string): void;
}

const US = '+19195550100';
const TF = '+18885550123';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let seq = 0;
const id = (prefix: string) => `${prefix}${String(++seq).padStart(5, '0')}`;

function message(threadId: string, patch: Partial<Message>): Message {
  return {
    id: id('m'),
    threadId,
    direction: 'out',
    from: US,
    to: [],
    text: '',
    status: 'delivered',
    createdAt: 0,
    updatedAt: 0,
    bandwidthId: null,
    segments: 1,
    encoding: 'GSM-7',
    sendAt: null,
    priority: 'default',
    tag: null,
    errorCode: null,
    errorDetail: null,
    attachments: [],
    deliveries: [],
    ...patch,
  };
}

const defaultSettings: Settings = {
  theme: 'system',
  quietHours: { enabled: true, start: '21:00', end: '08:00' },
  autoReplies: { enabled: true, stop: 'You are unsubscribed. Reply START to resubscribe.', start: 'Welcome back!', help: 'Reply STOP to opt out.' },
  quickReplies: [
    { id: 'q1', title: 'Order shipped', body: 'Hi {first_name}, your order {} shipped today and should arrive by {date}.' },
    { id: 'q2', title: 'Thanks', body: 'Thanks for reaching out! Anything else I can help with?' },
  ],
  noReceiptAfterMs: 2 * HOUR,
  notifications: true,
};

function dataset(now: number) {
  const threads: Thread[] = [];
  const messages = new Map<string, Message[]>();
  const add = (thread: Omit<Thread, 'lastActivityAt' | 'preview'>, list: Partial<Message>[]) => {
    const full = list.map((m) => message(thread.id, { to: m.direction === 'in' ? [thread.ourNumber] : thread.participants, from: m.direction === 'in' ? thread.participants[0] : thread.ourNumber, updatedAt: m.createdAt, ...m }));
    messages.set(thread.id, full);
    const last = full.at(-1)!;
    threads.push({ ...thread, lastActivityAt: last.createdAt, preview: { text: last.text, direction: last.direction, status: last.status, hasMedia: last.attachments.length > 0 } });
  };
  const ada = '+19195551234';
  const history: Partial<Message>[] = [];
  for (let i = 0; i < 70; i++) {
    const t = now - 5 * DAY + i * 37 * MIN;
    history.push(i % 3 === 0 ? { direction: 'in', status: 'received', text: `Earlier question number ${i} about the order`, createdAt: t } : { direction: 'out', text: `Earlier answer ${i}: happy to help with that.`, createdAt: t });
  }
  add({ id: 't-ada', ourNumber: US, participants: [ada], names: { [ada]: 'Ada Lovelace' }, unread: 2, optedOut: false }, [
    ...history,
    { direction: 'out', text: 'Hi Ada, your replacement part shipped this morning.', createdAt: now - DAY - 3 * HOUR },
    { direction: 'in', status: 'received', text: 'Wonderful, thank you!', createdAt: now - DAY - 2 * HOUR },
    { direction: 'in', status: 'received', text: 'Here is a photo of the box that arrived:', createdAt: now - 40 * MIN, attachments: [{ id: 'img-box', name: 'box.jpg', contentType: 'image/png', size: 48_213, url: '/media/img-box', state: 'ready' }] },
    { direction: 'in', status: 'received', text: 'Could you resend the invoice as a PDF?', createdAt: now - 39 * MIN },
    { direction: 'out', text: 'Of course — attached.', createdAt: now - 20 * MIN, attachments: [{ id: 'pdf-1', name: 'invoice-4471.pdf', contentType: 'application/pdf', size: 182_044, url: '/media/pdf-1', state: 'ready' }] },
    { direction: 'out', text: 'Anything else I can do for you today?', createdAt: now - 19 * MIN, status: 'sent' },
    { direction: 'out', text: 'We’re open until 6 pm.', createdAt: now - 2 * MIN, status: 'queued' },
  ]);
  const grace = '+19195552001';
  const alan = '+19195552002';
  const third = '+19195552003';
  add({ id: 't-group', ourNumber: US, participants: [grace, alan, third], names: { [grace]: 'Grace Hopper', [alan]: 'Alan Turing' }, unread: 0, optedOut: false }, [
    { direction: 'out', text: 'Team: the site visit moved to Thursday 10 am.', createdAt: now - 3 * HOUR, attachments: [], deliveries: [
      { recipient: grace, status: 'delivered', errorCode: null, updatedAt: now },
      { recipient: alan, status: 'delivered', errorCode: null, updatedAt: now },
      { recipient: third, status: 'failed', errorCode: 4720, updatedAt: now },
    ] },
    { direction: 'in', status: 'received', from: grace, text: 'Works for me.', createdAt: now - 2 * HOUR },
    { direction: 'in', status: 'received', from: alan, text: 'Same here. Should I bring the badge?', createdAt: now - 2 * HOUR + 2 * MIN },
    { direction: 'in', status: 'received', from: alan, text: 'And the spare keys.', createdAt: now - 2 * HOUR + 3 * MIN },
  ]);
  const linus = '+19195553333';
  add({ id: 't-failed', ourNumber: TF, participants: [linus], names: { [linus]: 'Linus Pauling' }, unread: 0, optedOut: false }, [
    { direction: 'in', status: 'received', text: 'Is my appointment still on?', createdAt: now - 5 * HOUR },
    { direction: 'out', text: 'Yes, see you at 3!', createdAt: now - 4 * HOUR, status: 'failed', errorCode: 4702 },
  ]);
  const opted = '+19195554444';
  add({ id: 't-opt', ourNumber: US, participants: [opted], names: {}, unread: 0, optedOut: true }, [
    { direction: 'out', text: 'Your table is ready.', createdAt: now - 26 * HOUR },
    { direction: 'in', status: 'received', text: 'STOP', createdAt: now - 25 * HOUR },
  ]);
  const names = ['Marie Curie', 'Nikola Tesla', 'Rosalind Franklin', 'Carl Sagan', 'Katherine Johnson', 'Richard Feynman', 'Hedy Lamarr', 'Barbara McClintock'];
  for (let i = 0; i < 40; i++) {
    const number = `+1919555${String(6000 + i)}`;
    add({ id: `t-${i}`, ourNumber: i % 4 === 0 ? TF : US, participants: [number], names: i < names.length ? { [number]: names[i]! } : {}, unread: i % 7 === 0 ? 1 : 0, optedOut: false }, [
      { direction: i % 2 ? 'in' : 'out', status: i % 2 ? 'received' : 'delivered', text: i % 2 ? 'Thanks, got it.' : 'Your appointment is confirmed for Friday.', createdAt: now - (i + 6) * HOUR },
    ]);
  }
  threads.sort((a, b) => b.lastActivityAt - a.lastActivityAt);
  return { threads, messages };
}

export async function installScriptedEngine(page: Page): Promise<ScriptedEngine> {
  const now = Date.now();
  const { threads, messages } = dataset(now);
  const settings = structuredClone(defaultSettings);
  const sockets = new Set<WebSocketRoute>();
  const emit = (event: string, payload: unknown) => sockets.forEach((ws) => ws.send(JSON.stringify({ event, payload })));
  const contacts = threads.flatMap((t) => Object.entries(t.names).map(([number, name]) => ({ number, name, notes: '', updatedAt: now })));

  const touch = (threadId: string, patch: Partial<Thread> = {}) => {
    const at = threads.findIndex((t) => t.id === threadId);
    const last = messages.get(threadId)!.at(-1)!;
    const thread: Thread = { ...threads[at]!, lastActivityAt: last.createdAt, preview: { text: last.text, direction: last.direction, status: last.status, hasMedia: last.attachments.length > 0 }, ...patch };
    threads.splice(at, 1);
    threads.unshift(thread);
    threads.sort((a, b) => b.lastActivityAt - a.lastActivityAt);
    emit('thread.updated', { thread });
    return thread;
  };
  const setStatus = (m: Message, status: Message['status'], errorCode: number | null = null) => {
    Object.assign(m, { status, errorCode, updatedAt: Date.now() });
    emit('message.statusChanged', { message: m });
    touch(m.threadId);
  };
  const progress = (m: Message, fail: boolean) => {
    setTimeout(() => setStatus(m, 'sending'), 150);
    setTimeout(() => setStatus(m, 'accepted'), 300);
    setTimeout(() => (fail ? setStatus(m, 'failed', 4702) : setStatus(m, 'delivered')), 600);
  };
  const thread = (threadId: string) => {
    const t = threads.find((x) => x.id === threadId);
    if (!t) throw Object.assign(new Error(`no thread ${threadId}`), { code: 'NOT_FOUND' });
    return t;
  };
  const page50 = (list: Message[], from: number, to: number) => ({
    messages: list.slice(Math.max(0, from), to),
    olderCursor: from > 0 ? String(from) : null,
    newerCursor: to < list.length ? String(to) : null,
  });
  const status = {
    mode: 'sandbox',
    accountId: 'sandbox',
    applicationId: 'sandbox-app',
    numbers: [
      { number: US, class: '10dlc', mps: 15 },
      { number: TF, class: 'toll-free', mps: 3 },
    ],
    connection: 'online',
    callbackUrl: 'http://127.0.0.1:41231/callbacks',
    tunnel: { state: 'online', publicUrl: 'https://switchboard-7f3a.loca.lt', error: null },
    dataDir: '/home/agent/.config/Switchboard',
    version: '0.1.0',
  };

  const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {
    'account.status': () => status,
    'queue.status': () => ({ depth: 1, scheduled: 2, nextSendAt: now + 1000, drainedBy: now + 4000 }),
    'threads.list': (input) => {
      const view = input.view ?? 'all';
      const list = threads.filter(
        (t) =>
          (!input.ourNumber || t.ourNumber === input.ourNumber) &&
          (view === 'all' || (view === 'unread' && t.unread > 0) || (view === 'failed' && t.preview?.status === 'failed') || (view === 'opted-out' && t.optedOut)),
      );
      const start = input.before ? Number(input.before) : 0;
      const limit = Number(input.limit ?? 50);
      return { threads: list.slice(start, start + limit), nextCursor: start + limit < list.length ? String(start + limit) : null };
    },
    'threads.get': (input) => ({ thread: thread(String(input.threadId)) }),
    'threads.markRead': (input) => ({ thread: touch(String(input.threadId), { unread: 0 }) }),
    'threads.start': (input) => {
      const to = input.to as string[];
      const existing = threads.find((t) => t.ourNumber === input.from && t.participants.join() === to.join());
      if (existing) return { thread: existing };
      const t: Thread = { id: id('t'), ourNumber: String(input.from), participants: to, names: {}, lastActivityAt: Date.now(), unread: 0, preview: null, optedOut: false };
      threads.unshift(t);
      messages.set(t.id, []);
      return { thread: t };
    },
    'messages.list': (input) => {
      const list = messages.get(String(input.threadId)) ?? [];
      const limit = Number(input.limit ?? 50);
      if (input.around) {
        const at = list.findIndex((m) => m.id === input.around);
        return page50(list, at - Math.floor(limit / 2), at + Math.ceil(limit / 2));
      }
      if (input.before) return page50(list, Number(input.before) - limit, Number(input.before));
      if (input.after) return page50(list, Number(input.after), Number(input.after) + limit);
      return page50(list, list.length - limit, list.length);
    },
    'messages.send': (input) => {
      const t = threads.find((x) => x.ourNumber === input.from && x.participants.join() === (input.to as string[]).join())!;
      if (t.optedOut) throw Object.assign(new Error(`${t.participants[0]} opted out of messages from ${t.ourNumber}; they can reply START to opt back in.`), { code: 'OPTED_OUT' });
      const attachments = ((input.attachments as string[] | undefined) ?? []).map((a) => ({ id: a, name: `${a}.png`, contentType: 'image/png', size: 48_213, url: `/media/${a}`, state: 'ready' as const }));
      const m = message(t.id, { from: t.ourNumber, to: t.participants, text: String(input.text ?? ''), status: input.sendAt ? 'scheduled' : 'queued', sendAt: (input.sendAt as number) ?? null, createdAt: Date.now(), updatedAt: Date.now(), attachments });
      messages.get(t.id)!.push(m);
      emit('message.created', { message: m });
      touch(t.id);
      if (!input.sendAt) progress(m, m.text.includes('fail'));
      return { message: m };
    },
    'messages.retry': (input) => {
      const m = [...messages.values()].flat().find((x) => x.id === input.messageId)!;
      Object.assign(m, { status: 'queued', errorCode: null });
      progress(m, false);
      return { message: m };
    },
    'messages.cancel': (input) => {
      const m = [...messages.values()].flat().find((x) => x.id === input.messageId)!;
      return { message: m };
    },
    'attachments.discard': () => ({}),
    'search.query': (input) => {
      const q = String(input.query).toLowerCase().replace(/[*"]/g, '');
      const results: SearchResult[] = [];
      for (const t of threads) {
        for (const m of messages.get(t.id) ?? []) {
          const at = m.text.toLowerCase().indexOf(q);
          if (q && at >= 0 && (!input.direction || m.direction === input.direction)) {
            results.push({ message: m, thread: t, snippet: [{ text: m.text.slice(0, at), hit: false }, { text: m.text.slice(at, at + q.length), hit: true }, { text: m.text.slice(at + q.length), hit: false }] });
          }
        }
      }
      results.sort((a, b) => b.message.createdAt - a.message.createdAt);
      return { results: results.slice(0, Number(input.limit ?? 50)), nextCursor: null };
    },
    'settings.get': () => settings,
    'settings.update': (input) => Object.assign(settings, input),
    'credentials.status': () => ({ mode: 'sandbox', authType: null, accountId: null, clientIdOrUsername: null, checkedAt: null, error: null }),
    'credentials.set': (input) => {
      const auth = input.auth as { clientSecret?: string; password?: string };
      if ((auth.clientSecret ?? auth.password) === 'wrong') throw Object.assign(new Error('Bandwidth refused these credentials (401 invalid_client).'), { code: 'UNAUTHORIZED' });
      return { mode: 'live', authType: 'oauth2', accountId: input.accountId, clientIdOrUsername: (input.auth as { clientId: string }).clientId, checkedAt: Date.now(), error: null };
    },
    'credentials.clear': () => ({ mode: 'sandbox', authType: null, accountId: null, clientIdOrUsername: null, checkedAt: null, error: null }),
    'contacts.list': () => ({ contacts }),
    'contacts.upsert': (input) => {
      const c = { number: toE164(String(input.number)) ?? String(input.number), name: String(input.name), notes: String(input.notes ?? ''), updatedAt: Date.now() };
      contacts.push(c);
      return { contact: c };
    },
    'contacts.import': () => ({ imported: 2, errors: [{ line: 3, message: '"12" is not a valid phone number' }] }),
    'contacts.export': () => ({ csv: 'number,name,notes\n' }),
  };

  await page.routeWebSocket(/\/rpc/, (ws) => {
    sockets.add(ws);
    ws.onClose(() => sockets.delete(ws));
    ws.onMessage(async (raw) => {
      const request = JSON.parse(String(raw)) as { id: number; method: string; input: Record<string, unknown> };
      // Older pages take a moment, as on a big history, so a spec can see the view hold still while they load.
      if (request.method === 'messages.list' && request.input?.before) await new Promise((resolve) => setTimeout(resolve, 400));
      const handler = handlers[request.method];
      try {
        if (!handler) throw Object.assign(new Error(`${request.method} is not available in this mode`), { code: 'UNAVAILABLE' });
        ws.send(JSON.stringify({ id: request.id, ok: true, output: handler(request.input ?? {}) }));
      } catch (e) {
        ws.send(JSON.stringify({ id: request.id, ok: false, error: { code: (e as { code?: string }).code ?? 'INTERNAL', message: (e as Error).message } }));
      }
    });
  });

  const png = await sharp({ create: { width: 480, height: 320, channels: 3, background: { r: 214, g: 170, b: 120 } } })
    .composite([{ input: Buffer.from('<svg width="480" height="320"><rect x="120" y="80" width="240" height="160" rx="12" fill="#8a5a2b"/><rect x="120" y="140" width="240" height="16" fill="#e9d3b0"/></svg>') }])
    .png()
    .toBuffer();
  await page.route(/\/media\//, (route) => route.fulfill({ status: 200, contentType: route.request().url().includes('pdf') ? 'application/pdf' : 'image/png', body: png }));
  await page.route(/\/upload$/, async (route) => {
    const name = decodeURIComponent(route.request().headers()['x-file-name'] ?? 'file');
    const size = route.request().postDataBuffer()?.length ?? 0;
    if (name.endsWith('.exe')) return route.fulfill({ status: 415, contentType: 'application/json', body: JSON.stringify({ error: { code: 'INVALID_INPUT', message: `${name}: this type of file cannot be sent by MMS` } }) });
    const attId = id('att');
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ attachment: { id: attId, name, contentType: 'image/png', size, url: `/media/${attId}`, state: 'ready' }, notice: null }) });
  });

  return {
    threads,
    messages,
    emit,
    receive(threadId, text) {
      const t = thread(threadId);
      const m = message(threadId, { direction: 'in', status: 'received', from: t.participants[0]!, to: [t.ourNumber], text, createdAt: Date.now(), updatedAt: Date.now() });
      messages.get(threadId)!.push(m);
      emit('message.created', { message: m });
      touch(threadId, { unread: t.unread + 1 });
    },
  };
}

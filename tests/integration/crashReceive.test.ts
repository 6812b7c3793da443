import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { reduceStatus } from '../../shared/domain/deliveryStatus';
import type { Message, MessageStatus } from '../../shared/ipc/schemas';
import { connectRpc, killAll, startBrowserMode, startSandboxProcess, type AppReady, type Child, type RpcConnection } from '../support/processes';
import { sandboxAccount } from '../support/sandboxAccount';
import { seeded, sleep } from '../support/seeded';

const OURS = '+19195550103';
const CUSTOMERS = ['+19845550161', '+19845550162', '+19845550163'];
/** The customers of one group conversation with OURS. */
const GROUP = ['+19845550171', '+19845550172', '+19845550173'];
/** The sandbox fails sends to +1 919 555 CCCC with error CCCC: 4720, invalid destination. */
const FAILING = '+19195554720';
const CALLBACK = { user: 'crash-receive', password: 'crash-receive-password' };
const AUTH = `Basic ${Buffer.from(`${CALLBACK.user}:${CALLBACK.password}`).toString('base64')}`;
/** Inbound texts that go out at seeded moments over RELEASE_MS, and those that go out in a burst just before a kill. */
const SMS_IN = 90;
const BURST = 40;
const GROUP_IN = 12;
const KILLS = 6;
/** Kills after which sends scheduled just before fall due while the app is down. */
const SCHEDULED_AT_KILL = new Set([1, 3]);
/** Kills that land a few ms into a burst of callbacks, so some are cut off between the app's commit and its answer. */
const BURST_AT_KILL = [0, 1, 2, 3, 4, 5];
/** The inbound callbacks first go out over this long, so they hit every run and every downtime. */
const RELEASE_MS = 9_000;

/** One FTS token per message, so a search finds exactly it (and a duplicate shows as a second hit). */
const token = (kind: 'smsin' | 'grpin' | 'smsout' | 'grpout' | 'later', i: number) => `${kind}${String(i).padStart(4, '0')}`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Bandwidth's side of the callbacks (REFERENCE.md §6): each body is posted challenge-first (without credentials, then
 * with them after a 401 carrying WWW-Authenticate) and posted again, after a short pause, until it is answered 2xx:
 * a refused or reset connection (the app is down or dies mid-request), a 5xx or a timeout all count as not delivered.
 */
function createPoster(url: string, jitter: () => number) {
  /** How many times each callback was answered 2xx. */
  const acked = new Map<string, number>();
  /** Answers no retry can change: a test bug, reported rather than retried for ever. */
  const refused: string[] = [];
  let inFlight = 0;
  /** Attempts that got no answer at all: the app was down, or died mid-request. */
  let unanswered = 0;
  /** Of those, the ones cut off after the body went with the credentials: the app may have stored it, or not. */
  let cut = 0;
  let closed = false;

  const post = (body: string, authorization?: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'BandwidthAPI/v2', ...(authorization ? { authorization } : {}) },
      body,
      signal: AbortSignal.timeout(10_000),
    }).then(async (res) => {
      await res.arrayBuffer();
      return res;
    });

  async function attempt(body: string): Promise<number> {
    const challenge = await post(body);
    if (challenge.status !== 401 || !/^Basic /i.test(challenge.headers.get('www-authenticate') ?? '')) return challenge.status;
    try {
      return (await post(body, AUTH)).status;
    } catch (error) {
      cut += 1;
      throw error;
    }
  }

  return {
    acked,
    refused,
    get inFlight() {
      return inFlight;
    },
    get unanswered() {
      return unanswered;
    },
    get cut() {
      return cut;
    },
    /** Resolves once the body got a 2xx. */
    async deliver(key: string, events: unknown[]): Promise<void> {
      inFlight += 1;
      const body = JSON.stringify(events);
      try {
        while (!closed) {
          const status = await attempt(body).catch(() => {
            unanswered += 1;
            return 0;
          });
          if (status >= 200 && status < 300) {
            acked.set(key, (acked.get(key) ?? 0) + 1);
            return;
          }
          if (status >= 400 && status < 500 && status !== 401) refused.push(`${key}: ${status}`);
          await sleep(50 + jitter() * 200);
        }
      } finally {
        inFlight -= 1;
      }
    },
    close() {
      closed = true;
    },
  };
}

async function waitUntil(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

interface SandboxMessage {
  id: string;
  from: string;
  to: string[];
  text: string;
  tag: string | null;
  segmentCount: number;
  time: string;
}

interface Inbound {
  id: string;
  text: string;
  threadId: string;
  /** sha256 of each file, in order. */
  files: string[];
}

describe('crash safety: SIGKILL at random moments while callbacks come in and scheduled sends fall due', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-crash-receive-'));
  const dataDir = join(dir, 'data');
  afterAll(async () => {
    await killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged inbound message once in its thread with its files, applies every status forward only, and sends late scheduled messages once', { timeout: 90_000 }, async () => {
    const random = seeded(20261127);
    const sandbox = await startSandboxProcess(['--seed', '12', '--class-rate', '10dlc=200']);
    const { account, file: accountFile, bandwidth } = sandboxAccount(sandbox.ready, dir, OURS);
    const sandboxMessages = async () => ((await fetch(`${sandbox.ready.controlUrl}/messages`).then((r) => r.json())) as { messages: SandboxMessage[] }).messages;
    const failNext = (count: number) =>
      fetch(`${sandbox.ready.controlUrl}/fail-next`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count, status: 503 }) });

    // One port for every run, as Bandwidth keeps posting to the URL it was given. The sandbox's application is given
    // no callback URL, so the poster below is the only source of callbacks and knows which ones got a 2xx.
    const callbackPort = await freePort();
    const poster = createPoster(`http://127.0.0.1:${callbackPort}/callbacks/bandwidth`, seeded(7));

    /** Every outbound status the app announced, across all runs, in order. */
    const observed: Message[] = [];
    let app: Child<AppReady>;
    let rpc: RpcConnection;
    const boot = async () => {
      app = await startBrowserMode(dataDir, ['--account', accountFile, '--no-tunnel', '--callback-port', String(callbackPort), '--callback-user', CALLBACK.user, '--callback-password', CALLBACK.password]);
      rpc = await connectRpc(app.ready);
      for (const event of ['message.created', 'message.statusChanged'] as const) rpc.client.on(event, ({ message }) => void (message.direction === 'out' && observed.push(message)));
    };
    /** What each kill left behind in the store. */
    const leftBehind: { pendingFiles: number; inbound: number }[] = [];
    const kill = async () => {
      rpc.close();
      expect(await app.kill('SIGKILL')).toBeNull();
      const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
      leftBehind.push({
        pendingFiles: (db.prepare("SELECT count(*) AS n FROM attachments WHERE state = 'pending'").get() as { n: number }).n,
        inbound: (db.prepare("SELECT count(*) AS n FROM messages WHERE direction = 'in'").get() as { n: number }).n,
      });
      db.close();
    };

    const deliveries: Promise<void>[] = [];
    let stopWatching = () => {};
    try {
      await boot();
      const threadOf = async (to: string[]) => (await rpc!.client.call('threads.start', { from: OURS, to })).thread.id;
      const smsThreads = await Promise.all(CUSTOMERS.map((c) => threadOf([c])));
      const groupThread = await threadOf(GROUP);

      // Inbound: SMS from each customer, and group MMS whose files the sandbox hosts.
      const inbound: Inbound[] = [];
      for (let i = 0; i < SMS_IN + BURST * BURST_AT_KILL.length; i += 1) {
        inbound.push({ id: `crashrcv${i}sms${Date.now()}`, text: `${token('smsin', i)} from a customer`, threadId: smsThreads[i % CUSTOMERS.length]!, files: [] });
      }
      const bodies = new Map<string, unknown[]>();
      for (const [i, message] of inbound.entries()) {
        const time = new Date().toISOString();
        const from = CUSTOMERS[i % CUSTOMERS.length]!;
        bodies.set(message.id, [{ type: 'message-received', time, to: OURS, description: 'Incoming message received', message: { id: message.id, owner: OURS, applicationId: account.applicationId, time, direction: 'in', to: [OURS], from, text: message.text, segmentCount: 1 } }]);
      }
      for (let i = 0; i < GROUP_IN; i += 1) {
        const id = `crashrcv${i}grp${Date.now()}`;
        const from = GROUP[i % GROUP.length]!;
        const urls: string[] = [];
        const files: string[] = [];
        for (let f = 0; f < 1 + (i % 2); f += 1) {
          const picture = sharp({ create: { width: 16 + i, height: 8 + f, channels: 3, background: { r: 20 * i, g: 100 + f * 50, b: 7 } } });
          const bytes = f === 0 ? await picture.png().toBuffer() : await picture.jpeg().toBuffer();
          const name = f === 0 ? `photo-${i}.png` : `photo-${i}.jpg`;
          urls.push((await bandwidth.messaging.uploadMedia(`${id}/${f}/${name}`, bytes, f === 0 ? 'image/png' : 'image/jpeg')).url);
          files.push(sha256(bytes));
        }
        const text = `${token('grpin', i)} to the group`;
        inbound.push({ id, text, threadId: groupThread, files });
        const time = new Date().toISOString();
        bodies.set(id, [{ type: 'message-received', time, to: OURS, description: 'Incoming message received', message: { id, owner: OURS, applicationId: account.applicationId, time, direction: 'in', to: [OURS, ...GROUP.filter((n) => n !== from)], from, text, media: urls, segmentCount: 1 } }]);
      }

      // Outbound: texts to each customer, one to a number that fails, group messages; their statuses come back below.
      const outTexts: string[] = [];
      const send = async (to: string[], text: string, sendAt?: number) => {
        outTexts.push(text);
        return (await rpc!.client.call('messages.send', { from: OURS, to, text, sendAt })).message;
      };
      for (let i = 0; i < 9; i += 1) await send([CUSTOMERS[i % CUSTOMERS.length]!], `${token('smsout', i)} from the agent`);
      await send([FAILING], `${token('smsout', 9)} to a number that fails`);
      for (let i = 0; i < 2; i += 1) await send(GROUP, `${token('grpout', i)} to the group`);

      // Bandwidth's status callbacks for each message it took: the progress and final event of each recipient in a
      // random order, one of them twice, then (once the final one is in) a late progress event with a newer time,
      // which must not move the message back.
      const flows = new Map<string, Promise<void>>();
      let watching = true;
      stopWatching = () => (watching = false);
      const watcher = (async () => {
        while (watching) {
          for (const m of await sandboxMessages().catch(() => [])) {
            if (flows.has(m.id)) continue;
            const order = seeded(Number(/\d{4}/.exec(m.text)?.[0] ?? 0) + (m.to.length > 1 ? 100 : 0) + (m.text.startsWith('later') ? 200 : 0));
            const at = Date.parse(m.time);
            const event = (type: string, to: string, time: number, extra: Record<string, unknown> = {}) => ({
              type,
              time: new Date(time).toISOString(),
              to,
              description: type === 'message-failed' ? 'invalid-destination' : type === 'message-delivered' ? 'ok' : 'Message is sending to carrier',
              ...extra,
              message: { id: m.id, owner: m.from, applicationId: account.applicationId, time: m.time, direction: 'out', to: m.to, from: m.from, text: '', tag: m.tag, segmentCount: m.segmentCount },
            });
            const progress = m.to.length > 1 ? 'message-sending' : 'message-sent';
            flows.set(
              m.id,
              Promise.all(
                m.to.map(async (to) => {
                  const final = to === FAILING ? event('message-failed', to, at + 900, { errorCode: 4720 }) : event('message-delivered', to, at + 900);
                  const events = order() < 0.5 ? [event(progress, to, at + 100), final] : [final, event(progress, to, at + 100)];
                  await Promise.all([...events, events[order() < 0.5 ? 0 : 1]].map((e, n) => sleep(order() * 300).then(() => poster.deliver(`${m.id}:${to}:${n}`, [e]))));
                  await poster.deliver(`${m.id}:${to}:late`, [event(progress, to, at + 1500)]);
                }),
              ).then(() => undefined),
            );
          }
          await sleep(150);
        }
      })();

      // The inbound callbacks go out at seeded moments or in bursts; about one in four is delivered a second time after its 2xx.
      const deliver = (message: Inbound, firstAt: number) => {
        const again = random() < 0.25 ? random() * 3_000 : null;
        deliveries.push(
          sleep(firstAt).then(async () => {
            await poster.deliver(message.id, bodies.get(message.id)!);
            if (again !== null) {
              await sleep(again);
              await poster.deliver(`${message.id}:again`, bodies.get(message.id)!);
            }
          }),
        );
      };
      for (const message of inbound.slice(0, SMS_IN)) deliver(message, random() * RELEASE_MS);
      for (const message of inbound.slice(SMS_IN + BURST * BURST_AT_KILL.length)) deliver(message, random() * RELEASE_MS);

      // Kills at seeded moments, each a few ms into a burst of callbacks. Before some, sends are scheduled to fall due
      // while the app is down. After the first restart the sandbox answers the next calls 503, so downloads fail and wait
      // to be retried when the next kill hits (only once: each 503 a send takes doubles its back-off).
      const scheduled: { text: string; sendAt: number }[] = [];
      for (let k = 0; k < KILLS; k += 1) {
        await sleep(300 + random() * 1_200);
        const later: { text: string; sendAt: number }[] = [];
        if (SCHEDULED_AT_KILL.has(k)) {
          for (let j = 0; j < 2; j += 1) {
            const text = `${token('later', scheduled.length)} scheduled`;
            const sendAt = Date.now() + 600 + j * 100;
            const message = await send([CUSTOMERS[j]!], text, sendAt);
            expect(message.status).toBe('scheduled');
            scheduled.push({ text, sendAt });
            later.push({ text, sendAt });
          }
        }
        const burst = BURST_AT_KILL.indexOf(k);
        if (burst >= 0) {
          // The kill lands while the app is answering the burst: once a seeded number of its callbacks got their 2xx.
          const members = inbound.slice(SMS_IN + burst * BURST, SMS_IN + (burst + 1) * BURST);
          const answered = 1 + Math.floor(random() * (BURST / 2));
          for (const message of members) deliver(message, 0);
          const giveUp = Date.now() + 10_000;
          while (members.filter((m) => poster.acked.has(m.id)).length < answered && Date.now() < giveUp) await sleep(1);
        }
        await kill();
        if (later.length > 0) {
          // Not yet due at the kill, and due before the restart.
          const texts = new Set(later.map((s) => s.text));
          expect((await sandboxMessages()).filter((m) => texts.has(m.text))).toEqual([]);
          await sleep(Math.max(...later.map((s) => s.sendAt)) + 100 - Date.now());
        } else await sleep(random() * 300);
        await boot();
        if (k === 0) await failNext(6);
      }

      await Promise.all(deliveries);
      await waitUntil('every send is at Bandwidth', async () => (await sandboxMessages()).length === outTexts.length);
      await waitUntil('every status flow is answered 2xx', () => flows.size === outTexts.length && poster.inFlight === 0);
      stopWatching();
      await watcher;
      await Promise.all(flows.values());
      expect(poster.refused).toEqual([]);
      await waitUntil('the queue is empty', async () => (await rpc!.client.call('queue.status', {})).depth === 0);
      const threadMessages = async (threadId: string) => (await rpc!.client.call('messages.list', { threadId, limit: 500 })).messages;
      await waitUntil('every inbound file is downloaded', async () => (await threadMessages(groupThread)).every((m) => m.attachments.every((a) => a.state !== 'pending')));

      // The kills hit the app while files were still to be fetched, and while inbound messages were coming in.
      expect(leftBehind.some((k) => k.pendingFiles > 0), JSON.stringify(leftBehind)).toBe(true);
      expect(leftBehind.some((k) => k.inbound > 0 && k.inbound < inbound.length), JSON.stringify(leftBehind)).toBe(true);
      // Callbacks were refused or cut off mid-request by the kills, and Bandwidth's retries brought them in.
      expect(poster.cut).toBeGreaterThan(0);
      expect(poster.unanswered).toBeGreaterThan(poster.cut);

      // Every inbound message (each was answered 2xx in the end) is in its thread exactly once, its files downloaded and intact.
      const origin = new URL(app!.ready.url).origin;
      for (const message of inbound) {
        const { results } = await rpc!.client.call('search.query', { query: message.text.split(' ')[0]!, direction: 'in' });
        expect(results.map((r) => ({ bandwidthId: r.message.bandwidthId, threadId: r.message.threadId })), message.text).toEqual([{ bandwidthId: message.id, threadId: message.threadId }]);
        const stored = results[0]!.message;
        expect(stored.attachments.map((a) => a.state), message.text).toEqual(message.files.map(() => 'ready'));
        const files = await Promise.all(stored.attachments.map(async (a) => sha256(new Uint8Array(await (await fetch(`${origin}${a.url}`)).arrayBuffer()))));
        expect(files, message.text).toEqual(message.files);
      }
      for (const threadId of [...smsThreads, groupThread]) {
        const received = (await threadMessages(threadId)).filter((m) => m.direction === 'in');
        expect(received.map((m) => m.bandwidthId).sort()).toEqual(inbound.filter((m) => m.threadId === threadId).map((m) => m.id).sort());
      }

      // Every send (the scheduled ones included) reached Bandwidth exactly once, and ended where its callbacks say.
      const atBandwidth = await sandboxMessages();
      expect(atBandwidth.map((m) => m.text).sort()).toEqual([...outTexts].sort());
      for (const sent of atBandwidth) {
        const { results } = await rpc!.client.call('search.query', { query: sent.text.split(' ')[0]!, direction: 'out' });
        expect(results, sent.text).toHaveLength(1);
        const message = results[0]!.message;
        const final: MessageStatus = sent.to.includes(FAILING) ? 'failed' : 'delivered';
        expect({ bandwidthId: message.bandwidthId, status: message.status, errorCode: message.errorCode }, sent.text).toEqual({ bandwidthId: sent.id, status: final, errorCode: final === 'failed' ? 4720 : null });
        expect(message.deliveries.map((d) => [d.recipient, d.status]).sort(), sent.text).toEqual(sent.to.map((to) => [to, final]).sort());
      }
      // Scheduled sends that fell due while the app was down went once it was back: not before their time, and once.
      expect(scheduled).toHaveLength(2 * SCHEDULED_AT_KILL.size);
      for (const { text, sendAt } of scheduled) {
        const sent = atBandwidth.filter((m) => m.text === text);
        expect(sent, text).toHaveLength(1);
        expect(Date.parse(sent[0]!.time), text).toBeGreaterThanOrEqual(sendAt);
        const { results } = await rpc!.client.call('search.query', { query: text.split(' ')[0]!, direction: 'out' });
        expect(results[0]!.message.sendAt, text).toBe(sendAt);
      }

      // No message, and no recipient of one, was ever announced at a status behind one announced before it.
      const last = new Map<string, MessageStatus>();
      const backwards: string[] = [];
      const step = (key: string, status: MessageStatus) => {
        const before = last.get(key);
        if (before && reduceStatus(before, { type: 'advance', status }) !== status) backwards.push(`${key}: ${before} → ${status}`);
        last.set(key, status);
      };
      for (const message of observed) {
        step(message.text, message.status);
        for (const d of message.deliveries) step(`${message.text} ${d.recipient}`, d.status);
      }
      expect(backwards).toEqual([]);
      expect(observed.length).toBeGreaterThan(outTexts.length);
    } finally {
      stopWatching();
      poster.close();
      await Promise.allSettled(deliveries);
      await bandwidth.close();
    }
  });
});

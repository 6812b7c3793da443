import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../electron/main/core/bandwidth/account';
import { parseAccountConfig } from '../../electron/main/core/bandwidth/account';
import type { BandwidthClient } from '../../electron/main/core/bandwidth/client';
import { createBandwidthClient } from '../../electron/main/core/bandwidth/client';
import { BandwidthError } from '../../electron/main/core/bandwidth/errors';

/**
 * A purpose-built Bandwidth over real HTTP, per REFERENCE.md: it issues OAuth2 tokens, can revoke them (a token that
 * expires mid-run), answers sends with programmed statuses, and serves media, the message list and the Dashboard.
 */
interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

const CLIENT = { id: 'client-id', secret: 'client-secret' };
const API_USER = { username: 'api-user', password: 'api-pass' };
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

class FakeBandwidth {
  server!: Server;
  origin = '';
  seen: Seen[] = [];
  tokensIssued = 0;
  valid = new Set<string>();
  expiresIn = 3600;
  /** Programmed answers for the next sends, first in first out; then 202. */
  sendAnswers: { status: number; body?: unknown; headers?: Record<string, string>; destroy?: boolean; inPieces?: boolean; cutOff?: boolean }[] = [];
  listAnswers: { status: number; headers?: Record<string, string> }[] = [];
  media = new Map<string, { type: string; bytes: Buffer }>();
  forbidMessaging = false;
  app = { inbound: 'https://old.example/cb', outbound: 'https://old.example/cb' };

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }, res));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    Object.assign(this, { seen: [], tokensIssued: 0, valid: new Set(), expiresIn: 3600, sendAnswers: [], listAnswers: [], forbidMessaging: false });
    this.media.clear();
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  private authorized(headers: IncomingMessage['headers']): boolean {
    const header = headers.authorization ?? '';
    return header === basic(API_USER.username, API_USER.password) || (header.startsWith('Bearer ') && this.valid.has(header.slice(7)));
  }

  private handle(req: Seen, res: ServerResponse): void {
    this.seen.push(req);
    const { method, path } = req;
    if (method === 'POST' && path === '/oauth2/token') {
      const ok = req.headers.authorization === basic(CLIENT.id, CLIENT.secret);
      const form = new URLSearchParams(req.body.toString());
      if (!ok) return this.json(res, 401, { error: 'invalid_client' });
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded' || form.get('grant_type') !== 'client_credentials') return this.json(res, 400, { error: 'invalid_request' });
      this.tokensIssued += 1;
      const token = `token-${this.tokensIssued}`;
      this.valid.add(token);
      return this.json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: this.expiresIn });
    }
    if (!this.authorized(req.headers)) {
      return path.startsWith('/api/v2') ? this.json(res, 401, { type: 'unauthorized', description: 'Authentication Failed' }) : void res.writeHead(401).end();
    }
    if (path.startsWith('/api/v2/users/9900000/messages') && this.forbidMessaging) return this.json(res, 403, { type: 'forbidden', description: 'Access Denied' });
    if (method === 'POST' && path === '/api/v2/users/9900000/messages') {
      const answer = this.sendAnswers.shift();
      if (answer?.destroy) return void res.socket?.destroy();
      if (answer?.inPieces || answer?.cutOff) {
        // The answer's headers and the first half of its body, then the rest a moment later (or never).
        const text = JSON.stringify(answer.body);
        res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
        res.write(text.slice(0, text.length >> 1));
        setTimeout(() => (answer.cutOff ? res.socket?.destroy() : res.end(text.slice(text.length >> 1))), 20);
        return;
      }
      if (answer) return this.json(res, answer.status, answer.body ?? {}, answer.headers);
      const sent = JSON.parse(req.body.toString()) as Record<string, unknown>;
      return this.json(res, 202, { id: '1589228074636lm4k2je7j7jklbn2', owner: sent.from, time: '2024-09-14T18:20:11.160744Z', segmentCount: 1, direction: 'out', priority: 'default', ...sent });
    }
    if (method === 'GET' && path.startsWith('/api/v2/users/9900000/messages?')) {
      const answer = this.listAnswers.shift();
      if (answer) return this.json(res, answer.status, { type: 'rate_limit_exceeded', description: 'Too many requests' }, answer.headers);
      return this.json(res, 200, {
        totalCount: 1,
        pageInfo: { nextPageToken: 'next-1' },
        messages: [{ messageId: '1589228074636lm4k2je7j7jklbn2', messageStatus: 'DELIVERED', messageDirection: 'OUTBOUND', errorCode: 0, segmentCount: 1, receiveTime: '2024-09-14T18:20:16.000Z', sourceTn: '+19195550100', destinationTn: '+19195550111', carrierName: null }],
      });
    }
    const media = /^\/api\/v2\/users\/9900000\/media\/(.+)$/.exec(path);
    if (media) {
      const id = decodeURIComponent(media[1] as string);
      if (method === 'PUT') {
        this.media.set(id, { type: String(req.headers['content-type']), bytes: req.body });
        return void res.writeHead(204).end();
      }
      const file = this.media.get(id);
      if (method === 'DELETE') return void res.writeHead(file && this.media.delete(id) ? 204 : 404).end();
      if (!file) return this.json(res, 404, { type: 'not-found', description: 'No media' });
      return void res.writeHead(200, { 'content-type': file.type }).end(file.bytes);
    }
    const appPath = '/dash/accounts/9900000/applications/93de2206-9669-4e07-948d-329f4b722ee2';
    if (path === appPath && method === 'PATCH') {
      const xml = req.body.toString();
      this.app.inbound = /<InboundCallbackUrl>(.*?)<\/InboundCallbackUrl>/.exec(xml)?.[1] ?? this.app.inbound;
      this.app.outbound = /<OutboundCallbackUrl>(.*?)<\/OutboundCallbackUrl>/.exec(xml)?.[1] ?? this.app.outbound;
    }
    if (path === appPath) {
      res.writeHead(200, { 'content-type': 'application/xml' });
      return void res.end(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ApplicationProvisioningResponse><Application><ApplicationId>93de2206-9669-4e07-948d-329f4b722ee2</ApplicationId><ServiceType>Messaging-V2</ServiceType><AppName>Switchboard</AppName><InboundCallbackUrl>${this.app.inbound}</InboundCallbackUrl><OutboundCallbackUrl>${this.app.outbound}</OutboundCallbackUrl><InboundCallbackCreds><UserId>cb-user</UserId></InboundCallbackCreds><RequestedCallbackTypes><CallbackType>message-delivered</CallbackType><CallbackType>message-failed</CallbackType></RequestedCallbackTypes></Application></ApplicationProvisioningResponse>`,
      );
    }
    if (path.startsWith('/dash/accounts/9900000/inserviceNumbers?')) {
      const page = new URLSearchParams(path.split('?')[1]).get('page');
      const numbers = page === '1' ? ['9195550100', '9195550101'] : ['8005550199'];
      const next = page === '1' ? `<next>&lt;https://dashboard.bandwidth.com:443/v1.0/accounts/9900000/inserviceNumbers?page=9195550102&amp;size=2&gt;;rel="next";</next>` : '';
      res.writeHead(200, { 'content-type': 'application/xml' });
      return void res.end(`<?xml version="1.0"?><TNs><TotalCount>3</TotalCount><Links>${next}</Links><TelephoneNumbers><Count>${numbers.length}</Count>${numbers.map((n) => `<TelephoneNumber>${n}</TelephoneNumber>`).join('')}</TelephoneNumbers></TNs>`);
    }
    if (path.startsWith('/dash/')) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      return void res.end('<ErrorResponse><Error><Code>12655</Code><Description>Application not found</Description></Error></ErrorResponse>');
    }
    this.json(res, 404, { timestamp: new Date().toISOString(), status: 404, error: 'Not Found', message: 'No message available', path });
  }
}

/** A clock the test moves by hand; waits are recorded and skipped. */
function fakeClock() {
  const clock = {
    t: Date.UTC(2026, 10, 26, 12),
    waits: [] as number[],
    now: () => clock.t,
    setTimeout(fn: () => void, ms: number) {
      clock.waits.push(ms);
      clock.t += ms;
      queueMicrotask(fn);
      return { cancel() {} };
    },
  };
  return clock;
}

const fake = new FakeBandwidth();
const dir = mkdtempSync(join(tmpdir(), 'sb-bw-'));
let clock: ReturnType<typeof fakeClock>;
let clients: BandwidthClient[] = [];

function account(overrides: Partial<Record<string, unknown>> = {}): AccountConfig {
  return parseAccountConfig({
    accountId: '9900000',
    applicationId: '93de2206-9669-4e07-948d-329f4b722ee2',
    auth: { type: 'oauth2', clientId: CLIENT.id, clientSecret: CLIENT.secret },
    baseUrl: `${fake.origin}/api/v2`,
    tokenUrl: `${fake.origin}/oauth2/token`,
    dashboardUrl: `${fake.origin}/dash`,
    ...overrides,
  });
}
function client(overrides: Partial<Record<string, unknown>> = {}): BandwidthClient {
  const c = createBandwidthClient(account(overrides), { clock });
  clients.push(c);
  return c;
}
const sends = () => fake.seen.filter((s) => s.method === 'POST' && s.path.endsWith('/messages'));
const msg = { from: '+19195550100', to: ['+19195550111'], text: 'hello' };

beforeAll(() => fake.start());
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  clock = fakeClock();
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('OAuth2 client credentials', () => {
  it('fetches one token for many concurrent sends and uses it as a bearer', async () => {
    const bw = client();
    const results = await Promise.all(Array.from({ length: 50 }, () => bw.messaging.sendMessage(msg)));
    expect(results.every((r) => r.kind === 'accepted')).toBe(true);
    expect(fake.tokensIssued).toBe(1);
    const tokenCall = fake.seen.find((s) => s.path === '/oauth2/token');
    expect(tokenCall?.body.toString()).toBe('grant_type=client_credentials');
    expect(sends().every((s) => s.headers.authorization === 'Bearer token-1')).toBe(true);
  });

  it('refreshes 60 s before expires_in runs out, not earlier', async () => {
    fake.expiresIn = 600;
    const bw = client();
    await bw.messaging.sendMessage(msg);
    clock.t += 539_000;
    await bw.messaging.sendMessage(msg);
    expect(fake.tokensIssued).toBe(1);
    clock.t += 2_000;
    await bw.messaging.sendMessage(msg);
    expect(fake.tokensIssued).toBe(2);
    expect(sends().at(-1)?.headers.authorization).toBe('Bearer token-2');
  });

  it('on a 401 refreshes once, shared by concurrent callers, and retries once', async () => {
    const bw = client();
    await bw.messaging.sendMessage(msg);
    fake.valid.clear(); // the token dies mid-run
    const results = await Promise.all(Array.from({ length: 20 }, () => bw.messaging.sendMessage(msg)));
    expect(results.every((r) => r.kind === 'accepted')).toBe(true);
    expect(fake.tokensIssued).toBe(2);
  });

  it('gives up after one retry when even the new token is refused', async () => {
    const bw = client();
    fake.valid = { has: () => false, add() {}, clear() {} } as unknown as Set<string>;
    const result = await bw.messaging.sendMessage(msg);
    expect(result).toMatchObject({ kind: 'rejected', status: 401, retryable: false });
    expect(sends()).toHaveLength(2);
    expect(fake.tokensIssued).toBe(2);
  });

  it('reports a refused client secret as a final 401 without sending', async () => {
    const result = await client({ auth: { type: 'oauth2', clientId: CLIENT.id, clientSecret: 'wrong' } }).messaging.sendMessage(msg);
    expect(result).toMatchObject({ kind: 'rejected', status: 401, retryable: false, description: 'The OAuth2 client id or client secret was refused' });
    expect(sends()).toHaveLength(0);
  });
});

describe('legacy Basic auth', () => {
  it('sends the API user on every call and does not retry a 401', async () => {
    const ok = await client({ auth: { type: 'basic', ...API_USER } }).messaging.sendMessage(msg);
    expect(ok.kind).toBe('accepted');
    expect(sends()[0]?.headers.authorization).toBe(basic(API_USER.username, API_USER.password));
    const refused = await client({ auth: { type: 'basic', username: API_USER.username, password: 'nope' } }).messaging.sendMessage(msg);
    expect(refused).toMatchObject({ kind: 'rejected', status: 401 });
    expect(sends()).toHaveLength(2);
    expect(fake.tokensIssued).toBe(0);
  });
});

describe('sendMessage', () => {
  it('posts the message with the application id and returns Bandwidth\'s id for it (all the send loop reads of the 202)', async () => {
    const result = await client().messaging.sendMessage({ ...msg, tag: 't1', priority: 'high' });
    expect(JSON.parse(sends()[0]?.body.toString() ?? '')).toEqual({ applicationId: '93de2206-9669-4e07-948d-329f4b722ee2', ...msg, tag: 't1', priority: 'high' });
    expect(sends()[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(result).toEqual({ kind: 'accepted', message: { id: '1589228074636lm4k2je7j7jklbn2' } });
  });

  it('classifies 4xx as final with the reason, 429 and 5xx as retryable', async () => {
    const bw = client();
    fake.sendAnswers.push(
      { status: 400, body: { type: 'request-validation', description: 'Your request could not be accepted', fieldErrors: [{ fieldName: 'from', description: "'+invalid' must be replaced" }] } },
      { status: 429, body: { type: 'max-message-queue-size-exceeded', description: 'The SMS queue for your account is full' } },
      { status: 503, body: 'oops', headers: { 'retry-after': '7' } },
      { status: 404, body: { timestamp: 'x', status: 404, error: 'Not Found', message: 'No message available', path: '/x' } },
    );
    expect(await bw.messaging.sendMessage(msg)).toEqual({
      kind: 'rejected',
      status: 400,
      type: 'request-validation',
      description: 'Your request could not be accepted',
      fieldErrors: [{ fieldName: 'from', description: "'+invalid' must be replaced" }],
      retryable: false,
      retryAfterMs: null,
    });
    expect(await bw.messaging.sendMessage(msg)).toMatchObject({ kind: 'rejected', status: 429, type: 'max-message-queue-size-exceeded', retryable: true, retryAfterMs: null });
    expect(await bw.messaging.sendMessage(msg)).toMatchObject({ kind: 'rejected', status: 503, retryable: true, retryAfterMs: 7000 });
    expect(await bw.messaging.sendMessage(msg)).toMatchObject({ kind: 'rejected', status: 404, type: 'Not Found', description: 'No message available', retryable: false });
  });

  it('tells a connection that never opened from one that broke after sending', async () => {
    const bw = client();
    await bw.messaging.sendMessage(msg); // token fetched, socket open
    fake.sendAnswers.push({ status: 0, destroy: true });
    expect(await bw.messaging.sendMessage(msg)).toMatchObject({ kind: 'network', retryable: true, maybeSent: true });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = client({ baseUrl: `http://127.0.0.1:${port}/api/v2`, auth: { type: 'basic', ...API_USER } });
    expect(await unreachable.messaging.sendMessage(msg)).toMatchObject({ kind: 'network', code: 'ECONNREFUSED', retryable: true, maybeSent: false });
  });

  it('reads an answer that arrives in pieces whole, and one cut off after its headers as possibly sent', async () => {
    const bw = client();
    fake.sendAnswers.push({ status: 202, body: { id: 'bw-in-pieces', text: 'x'.repeat(2000) }, inPieces: true }, { status: 202, body: { id: 'bw-cut-off' }, cutOff: true });
    expect(await bw.messaging.sendMessage(msg)).toEqual({ kind: 'accepted', message: { id: 'bw-in-pieces' } });
    expect(await bw.messaging.sendMessage(msg)).toMatchObject({ kind: 'network', retryable: true, maybeSent: true });
  });
});

describe('listMessages', () => {
  it('sends the filters with millisecond times and reads the page', async () => {
    const page = await client().messaging.listMessages({ sourceTn: '+19195550100', fromDateTime: Date.UTC(2024, 0, 1), toDateTime: Date.UTC(2024, 0, 1, 0, 1), limit: 5, pageToken: 'abc' });
    const query = new URLSearchParams(fake.seen.at(-1)?.path.split('?')[1]);
    expect(Object.fromEntries(query)).toEqual({ sourceTn: '+19195550100', fromDateTime: '2024-01-01T00:00:00.000Z', toDateTime: '2024-01-01T00:01:00.000Z', limit: '5', pageToken: 'abc' });
    expect(page).toEqual({
      totalCount: 1,
      nextPageToken: 'next-1',
      prevPageToken: null,
      messages: [
        expect.objectContaining({ messageId: '1589228074636lm4k2je7j7jklbn2', messageStatus: 'DELIVERED', errorCode: 0, receiveTime: Date.UTC(2024, 8, 14, 18, 20, 16), carrierName: null, accountId: null }),
      ],
    });
  });

  it('waits out a 429 Retry-After and tries again', async () => {
    fake.listAnswers.push({ status: 429, headers: { 'retry-after': '3' } }, { status: 429, headers: { 'retry-after': '1' } });
    const page = await client().messaging.listMessages({ messageId: 'x' });
    expect(page.messages).toHaveLength(1);
    expect(clock.waits).toEqual([3000, 1000]);
  });

  it('fails with the wait when Retry-After is too long or attempts run out', async () => {
    fake.listAnswers.push({ status: 429, headers: { 'retry-after': '3600' } });
    const error = await client().messaging.listMessages({ messageId: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BandwidthError);
    expect((error as BandwidthError).failure).toMatchObject({ status: 429, retryable: true, retryAfterMs: 3_600_000 });
    expect(clock.waits).toEqual([]);
  });
});

describe('media', () => {
  const bytes = Buffer.alloc(300 * 1024 + 17, 7);

  it('uploads bytes with progress, under an id with slashes, and downloads them back with auth', async () => {
    const bw = client();
    const progress: number[] = [];
    const { url } = await bw.messaging.uploadMedia('thread 1/photo.jpg', bytes, 'image/jpeg', { onProgress: (n) => progress.push(n) });
    expect(url).toBe(`${fake.origin}/api/v2/users/9900000/media/thread%201/photo.jpg`);
    const stored = fake.media.get('thread 1/photo.jpg');
    expect(stored?.type).toBe('image/jpeg');
    // Buffer.equals: a deep toEqual over 300 KB is needlessly slow.
    expect(stored?.bytes.equals(bytes)).toBe(true);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(bytes.length);

    const dest = join(dir, 'photo.jpg');
    const result = await bw.messaging.downloadMedia(url, dest);
    expect(result).toEqual({ bytes: bytes.length, contentType: 'image/jpeg', sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(readFileSync(dest).equals(bytes)).toBe(true);
  });

  it('uploads a stream, and streams it again when a 401 forces a retry', async () => {
    const bw = client();
    await bw.messaging.sendMessage(msg);
    fake.valid.clear();
    const progress: number[] = [];
    await bw.messaging.uploadMedia('clip.txt', () => Readable.from([Buffer.from('hello '), Buffer.from('world')]), 'text/plain', { onProgress: (n) => progress.push(n), size: 11 });
    expect(fake.media.get('clip.txt')?.bytes.toString()).toBe('hello world');
    expect(fake.tokensIssued).toBe(2);
    expect(progress.at(-1)).toBe(11);
  });

  it('refuses a download over the size cap and leaves no file', async () => {
    const bw = client();
    const { url } = await bw.messaging.uploadMedia('big.bin', bytes, 'application/octet-stream');
    const dest = join(dir, 'big.bin');
    const error = await bw.messaging.downloadMedia(url, dest, 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BandwidthError);
    expect((error as BandwidthError).failure).toMatchObject({ type: 'too-large', retryable: false });
    expect(existsSync(dest)).toBe(false);
  });

  it('never sends the credentials to another host', async () => {
    const error = await client().messaging.downloadMedia('http://evil.example/api/v2/users/9900000/media/x', join(dir, 'x')).catch((e: unknown) => e);
    expect((error as BandwidthError).failure).toMatchObject({ type: 'foreign-url' });
    expect(fake.seen).toHaveLength(0);
  });

  it("fetches inbound media named on Bandwidth's host through a proxy base, and sends the credentials only there", async () => {
    // The fake stands for the proxy (the account's baseUrl); inbound callbacks still name Bandwidth's host.
    const bw = client();
    await bw.messaging.uploadMedia('1700000000000abcdefghijklmnop/0/photo.jpg', bytes, 'image/jpeg');
    fake.seen = [];
    const dest = join(dir, 'inbound.jpg');
    const result = await bw.messaging.downloadMedia('https://messaging.bandwidth.com/api/v2/users/9900000/media/1700000000000abcdefghijklmnop/0/photo.jpg', dest);
    expect(result.bytes).toBe(bytes.length);
    expect(readFileSync(dest).equals(bytes)).toBe(true);
    expect(fake.seen.map((s) => [s.method, s.path, s.headers.authorization?.startsWith('Bearer ')])).toEqual([
      ['GET', '/api/v2/users/9900000/media/1700000000000abcdefghijklmnop/0/photo.jpg', true],
    ]);

    // A proxy under a path prefix gets the path under its own base.
    const prefixed = await client({ baseUrl: `${fake.origin}/proxy/api/v2` })
      .messaging.downloadMedia('https://messaging.bandwidth.com/api/v2/users/9900000/media/x/0/a.png', join(dir, 'a.png'))
      .catch((e: unknown) => e);
    expect((prefixed as BandwidthError).failure).toMatchObject({ status: 404 });
    expect(fake.seen.at(-1)?.path).toBe('/proxy/api/v2/users/9900000/media/x/0/a.png');

    // Only Bandwidth's messaging API is mapped: look-alike hosts, another scheme or path are never asked, nor the proxy.
    fake.seen = [];
    for (const url of [
      'https://messaging.bandwidth.com.evil.example/api/v2/users/9900000/media/x',
      'https://evil.example/api/v2/users/9900000/media/x',
      'http://messaging.bandwidth.com/api/v2/users/9900000/media/x',
      'https://messaging.bandwidth.com/api/v2/../v3/x',
      'https://messaging.bandwidth.com/api/v22/x',
    ]) {
      const error = await bw.messaging.downloadMedia(url, join(dir, 'x')).catch((e: unknown) => e);
      expect((error as BandwidthError).failure, url).toMatchObject({ type: 'foreign-url' });
    }
    expect(fake.seen).toHaveLength(0);
  });

  it('deletes media, and a missing file counts as deleted', async () => {
    const bw = client();
    await bw.messaging.uploadMedia('a/b.png', Buffer.from('png'), 'image/png');
    await bw.messaging.deleteMedia('a/b.png');
    expect(fake.media.has('a/b.png')).toBe(false);
    await expect(bw.messaging.deleteMedia('a/b.png')).resolves.toBeUndefined();
  });
});

describe('Dashboard', () => {
  it('reads the messaging application', async () => {
    expect(await client().dashboard.getApplication()).toEqual({
      applicationId: '93de2206-9669-4e07-948d-329f4b722ee2',
      serviceType: 'Messaging-V2',
      appName: 'Switchboard',
      inboundCallbackUrl: 'https://old.example/cb',
      outboundCallbackUrl: 'https://old.example/cb',
      inboundCallbackUserId: 'cb-user',
      outboundCallbackUserId: null,
      requestedCallbackTypes: ['message-delivered', 'message-failed'],
    });
  });

  it('patches the callback URLs and credentials as escaped XML', async () => {
    const url = 'https://sb-abc.loca.lt/callbacks/bandwidth?a=1&b=2';
    const app = await client().dashboard.patchApplication({ inboundCallbackUrl: url, outboundCallbackUrl: url, inboundCallbackCreds: { userId: 'u', password: 'p<&>' } });
    const sent = fake.seen.find((s) => s.method === 'PATCH');
    expect(sent?.headers['content-type']).toBe('application/xml');
    const xml = sent?.body.toString() ?? '';
    expect(xml).toContain('<InboundCallbackUrl>https://sb-abc.loca.lt/callbacks/bandwidth?a=1&amp;b=2</InboundCallbackUrl>');
    expect(xml).toContain('<InboundCallbackCreds><UserId>u</UserId><Password>p&lt;&amp;&gt;</Password></InboundCallbackCreds>');
    expect(xml).not.toContain('OutboundCallbackCreds');
    expect(app.inboundCallbackUrl).toBe(url);
  });

  it('lists in-service numbers across pages as E.164', async () => {
    expect(await client().dashboard.listInServiceNumbers(2)).toEqual(['+19195550100', '+19195550101', '+18005550199']);
    const pages = fake.seen.filter((s) => s.path.includes('inserviceNumbers')).map((s) => new URLSearchParams(s.path.split('?')[1]).get('page'));
    expect(pages).toEqual(['1', '9195550102']);
  });

  it('turns a Dashboard XML error into a readable error', async () => {
    const error = await client({ applicationId: 'missing' }).dashboard.getApplication().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BandwidthError);
    expect((error as BandwidthError).code).toBe('NOT_FOUND');
    expect((error as BandwidthError).message).toMatch(/Application not found/);
  });
});

describe('checkCredentials', () => {
  it('passes with working credentials, by a token and an authorized call', async () => {
    expect(await client().checkCredentials()).toEqual({ ok: true });
    expect(fake.tokensIssued).toBe(1);
    expect(fake.seen.at(-1)?.path).toMatch(/\/messages\?fromDateTime=/);
  });

  it('says the credentials are wrong, for OAuth2 and for Basic', async () => {
    expect(await client({ auth: { type: 'oauth2', clientId: CLIENT.id, clientSecret: 'x' } }).checkCredentials()).toEqual({
      ok: false,
      reason: 'credentials',
      message: 'Bandwidth refused the OAuth2 client id and secret. Check them and try again.',
    });
    expect(await client({ auth: { type: 'basic', username: 'x', password: 'y' } }).checkCredentials()).toMatchObject({ ok: false, reason: 'credentials', message: expect.stringMatching(/API username and password/) });
  });

  it('tells a forbidden account apart', async () => {
    fake.forbidMessaging = true;
    expect(await client().checkCredentials()).toMatchObject({ ok: false, reason: 'forbidden', message: expect.stringMatching(/account 9900000/) });
  });

  it('tells an unreachable host apart', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await client({ tokenUrl: `http://127.0.0.1:${port}/oauth2/token` }).checkCredentials();
    expect(result).toMatchObject({ ok: false, reason: 'unreachable', message: expect.stringMatching(new RegExp(`Cannot reach 127.0.0.1:${port}`)) });
  });
});

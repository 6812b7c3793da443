import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../electron/main/sandbox/index';
import { sandboxAccount } from '../../electron/main/sandbox/embedded';
import { startSandbox } from '../../electron/main/sandbox/index';
import { api, basic, control, getToken, sendMessage } from './sandboxSupport';

const MESSAGES = '/users/{accountId}/messages';
const MEDIA = '/users/{accountId}/media';
const MEDIA_ITEM = '/users/{accountId}/media/{mediaId}';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ personas: false, seed: 7 });
});
afterEach(async () => {
  await sandbox.stop();
});

describe('sandbox auth', () => {
  it('issues OAuth2 tokens for client credentials with expires_in', async () => {
    const response = await fetch(sandbox.tokenUrl, {
      method: 'POST',
      headers: { Authorization: basic(sandbox.clientId, sandbox.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1] as string, 'base64url').toString()) as { accounts: string[] };
    expect(claims.accounts).toEqual([sandbox.accountId]);
  });

  it('refuses a wrong client secret and a wrong grant type', async () => {
    const wrong = await fetch(sandbox.tokenUrl, {
      method: 'POST',
      headers: { Authorization: basic(sandbox.clientId, 'nope'), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(wrong.status).toBe(401);
    const grant = await fetch(sandbox.tokenUrl, {
      method: 'POST',
      headers: { Authorization: basic(sandbox.clientId, sandbox.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    expect(grant.status).toBe(400);
  });

  it('answers 401 to missing, forged and expired tokens, 403 to another account', async () => {
    expect((await api(sandbox, 'GET', MESSAGES, { query: { messageStatus: 'DELIVERED' }, auth: null })).status).toBe(401);
    const token = await getToken(sandbox);
    const forged = `${token.slice(0, -4)}AAAA`;
    const rejected = await api(sandbox, 'GET', MESSAGES, { query: { messageStatus: 'DELIVERED' }, auth: `Bearer ${forged}` });
    expect(rejected.status).toBe(401);
    expect(rejected.body).toEqual({ type: 'unauthorized', description: 'Authentication Failed' });
    const other = await api(sandbox, 'GET', MESSAGES, { path: '/users/1234567/messages', query: { messageStatus: 'DELIVERED' }, auth: `Bearer ${token}` });
    expect(other.status).toBe(403);

    const shortLived = await startSandbox({ personas: false, tokenTtlSeconds: 1 });
    try {
      const expiring = await getToken(shortLived);
      expect((await api(shortLived, 'GET', MESSAGES, { query: { messageStatus: 'DELIVERED' }, auth: `Bearer ${expiring}` })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await api(shortLived, 'GET', MESSAGES, { query: { messageStatus: 'DELIVERED' }, auth: `Bearer ${expiring}` })).status).toBe(401);
    } finally {
      await shortLived.stop();
    }
  });

  it('accepts the legacy Basic API user', async () => {
    const ok = await api(sandbox, 'GET', MESSAGES, { query: { messageStatus: 'DELIVERED' }, auth: basic(sandbox.apiUser.username, sandbox.apiUser.password) });
    expect(ok.status).toBe(200);
    const bad = await api(sandbox, 'GET', MESSAGES, { query: { messageStatus: 'DELIVERED' }, auth: basic(sandbox.apiUser.username, 'wrong') });
    expect(bad.status).toBe(401);
  });
});

describe('POST /messages', () => {
  it('accepts an SMS with 202 and the message object', async () => {
    const before = Date.now();
    const response = await sendMessage(sandbox, { from: '+19195550100', to: ['+19845550199'], text: 'Hello there', tag: 'ticket-1' });
    expect(response.status).toBe(202);
    const body = response.body as Record<string, unknown>;
    expect(body).toMatchObject({
      owner: '+19195550100',
      applicationId: sandbox.applicationId,
      segmentCount: 1,
      direction: 'out',
      to: ['+19845550199'],
      from: '+19195550100',
      text: 'Hello there',
      tag: 'ticket-1',
      priority: 'default',
    });
    expect(body.id).toMatch(/^\d{13}[a-z0-9]{16}$/);
    expect(Number(String(body.id).slice(0, 13))).toBeGreaterThanOrEqual(before);
    expect(body).not.toHaveProperty('media');
  });

  it('counts segments: GSM-7 at 153 per part, UCS-2 at 67, and 1 for MMS', async () => {
    const segments = async (text: string, media?: string[]) =>
      ((await sendMessage(sandbox, { from: '+19195550103', to: ['+19845550199'], text, ...(media ? { media } : {}) })).body as { segmentCount: number }).segmentCount;
    expect(await segments('a'.repeat(160))).toBe(1);
    expect(await segments('a'.repeat(161))).toBe(2);
    expect(await segments('€'.repeat(100))).toBe(2);
    expect(await segments('🙂'.repeat(35))).toBe(1);
    expect(await segments('ж'.repeat(135))).toBe(3);
    expect(await segments('a'.repeat(500), ['https://example.com/a.png'])).toBe(1);
  });

  it('accepts a bare string `to` and a group of up to 10, refuses 11', async () => {
    expect((await sendMessage(sandbox, { from: '+19195550100', to: '+19845550199', text: 'hi' })).status).toBe(202);
    const ten = Array.from({ length: 10 }, (_, i) => `+1984555018${i}`);
    const group = await sendMessage(sandbox, { from: '+19195550100', to: ten, text: 'hi all' });
    expect(group.status).toBe(202);
    expect(group.body).toMatchObject({ segmentCount: 1, to: ten });
    const eleven = await sendMessage(sandbox, { from: '+19195550100', to: [...ten, '+19845550170'], text: 'too many' });
    expect(eleven.status).toBe(400);
    expect(eleven.body).toMatchObject({ type: 'request-validation', fieldErrors: [{ fieldName: 'to' }] });
  });

  it('validates like the spec says, with field errors', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: '+19195550100', to: ['+invalid'], text: 'x' }, 'to'],
      [{ from: '+19195550100', to: [], text: 'x' }, 'to'],
      [{ from: '+19195550100', to: ['+19845550199', '+19845550199'], text: 'x' }, 'to'],
      [{ from: '+19995550100', to: ['+19845550199'], text: 'x' }, 'from'],
      [{ to: ['+19845550199'], text: 'x' }, 'from'],
      [{ from: '+19195550100', to: ['+19845550199'] }, 'text'],
      [{ from: '+19195550100', to: ['+19845550199'], text: 'x'.repeat(2049) }, 'text'],
      [{ from: '+19195550100', to: ['+19845550199'], text: 'x', priority: 'urgent' }, 'priority'],
      [{ from: '+19195550100', to: ['+19845550199'], text: 'x', expiration: '2001-01-01T00:00:00Z' }, 'expiration'],
      [{ from: '+19195550100', to: ['+19845550199'], text: 'x', tag: 't'.repeat(1025) }, 'tag'],
      [{ from: '+19195550100', to: ['+19845550199'], media: ['not a url'] }, 'media'],
      [{ from: '+18885550102', to: ['+19845550199', '+19845550198'], text: 'toll-free group' }, 'to'],
      [{ from: '+19195550100', to: ['+19845550199'], text: 'x', applicationId: 'b1d0c5a6-0000-4000-8000-000000000000' }, 'applicationId'],
    ];
    for (const [message, field] of cases) {
      const response = await sendMessage(sandbox, message);
      expect(response.status, JSON.stringify(message).slice(0, 80)).toBe(400);
      const body = response.body as { type: string; fieldErrors: { fieldName: string }[] };
      expect(body.type).toBe('request-validation');
      expect(body.fieldErrors.map((e) => e.fieldName)).toContain(field);
    }
  });

  it('answers 415 to a non-JSON body and 400 to malformed JSON', async () => {
    const form = await api(sandbox, 'POST', MESSAGES, { body: 'to=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject({ type: 'unsupported-content-type' });
    const broken = await api(sandbox, 'POST', MESSAGES, { body: '{"to":', headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    expect(broken.status).toBe(400);
  });

  it('fills the account queue (rate × queue seconds, in segments) and then answers 429', async () => {
    const small = await startSandbox({ personas: false, accountMps: 1, queueSeconds: 3 });
    try {
      const statuses: number[] = [];
      let last: unknown;
      for (let i = 0; i < 6; i += 1) {
        const response = await sendMessage(small, { from: '+19195550100', to: ['+19845550199'], text: `n${i}` });
        statuses.push(response.status);
        last = response.body;
      }
      expect(statuses.slice(0, 4)).toEqual([202, 202, 202, 202]);
      expect(statuses[4]).toBe(429);
      expect(last).toMatchObject({ type: 'max-message-queue-size-exceeded' });
      // A 3-segment message takes 3 units of the queue at once.
      const other = await startSandbox({ personas: false, accountMps: 1, queueSeconds: 3 });
      try {
        expect((await sendMessage(other, { from: '+19195550100', to: ['+19845550199'], text: 'a' })).status).toBe(202);
        expect((await sendMessage(other, { from: '+19195550100', to: ['+19845550199'], text: 'a'.repeat(400) })).status).toBe(202);
        expect((await sendMessage(other, { from: '+19195550100', to: ['+19845550199'], text: 'b' })).status).toBe(429);
      } finally {
        await other.stop();
      }
    } finally {
      await small.stop();
    }
  });

  it('answers 405 to an unsupported method and a Spring-style 404 to an unknown path', async () => {
    const token = await getToken(sandbox);
    const put = await fetch(`${sandbox.baseUrl}/users/${sandbox.accountId}/messages`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    expect(put.status).toBe(405);
    const unknown = await fetch(`${sandbox.baseUrl}/users/${sandbox.accountId}/nothing`, { headers: { Authorization: `Bearer ${token}` } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 404, error: 'Not Found', path: `/api/v2/users/${sandbox.accountId}/nothing` });
  });
});

describe('GET /messages', () => {
  it('needs at least one parameter and never returns text', async () => {
    expect((await api(sandbox, 'GET', MESSAGES)).status).toBe(400);
    const sent = (await sendMessage(sandbox, { from: '+19195550100', to: ['+19845550199'], text: 'secret words' })).body as { id: string };
    const list = await api(sandbox, 'GET', MESSAGES, { query: { messageId: sent.id } });
    expect(list.status).toBe(200);
    const body = list.body as { totalCount: number; messages: Record<string, unknown>[] };
    expect(body.totalCount).toBe(1);
    expect(body.messages[0]).toMatchObject({
      messageId: sent.id,
      accountId: sandbox.accountId,
      sourceTn: '+19195550100',
      destinationTn: '+19845550199',
      messageDirection: 'OUTBOUND',
      messageType: 'sms',
      segmentCount: 1,
      errorCode: 0,
      messageLength: 12,
    });
    expect(['QUEUED', 'SENDING', 'SENT', 'DELIVERED']).toContain(body.messages[0]?.messageStatus);
    expect(list.raw.toString()).not.toContain('secret words');
  });

  it('filters by numbers (full, list, partial), status and date range, and pages with pageToken', async () => {
    for (let i = 0; i < 5; i += 1) await sendMessage(sandbox, { from: '+19195550103', to: [`+1984555019${i}`], text: `m${i}` });
    await sendMessage(sandbox, { from: '+19195550101', to: ['+19845550190'], text: 'other sender' });
    const count = async (query: Record<string, string>) => ((await api(sandbox, 'GET', MESSAGES, { query })).body as { totalCount: number }).totalCount;
    expect(await count({ sourceTn: '+19195550103' })).toBe(5);
    expect(await count({ destinationTn: '+19845550190,+19845550191' })).toBe(3);
    expect(await count({ destinationTn: '+1984555019' })).toBe(6);
    expect(await count({ sourceTn: '+19195550103', messageDirection: 'INBOUND' })).toBe(0);
    expect(await count({ fromDateTime: new Date(Date.now() - 60_000).toISOString(), toDateTime: new Date(Date.now() + 60_000).toISOString() })).toBe(6);
    expect(await count({ toDateTime: new Date(Date.now() - 60_000).toISOString() })).toBe(0);
    expect((await api(sandbox, 'GET', MESSAGES, { query: { destinationTn: '+198' } })).status).toBe(400);
    expect((await api(sandbox, 'GET', MESSAGES, { query: { fromDateTime: '2024-01-01T00:00:00.000Z', toDateTime: '2024-02-01T00:00:00.000Z' } })).status).toBe(400);
    expect((await api(sandbox, 'GET', MESSAGES, { query: { messageStatus: 'LOST' } })).status).toBe(400);

    const seen: string[] = [];
    let query: Record<string, string> = { sourceTn: '+19195550103', limit: '2' };
    for (let page = 0; page < 5; page += 1) {
      const body = (await api(sandbox, 'GET', MESSAGES, { query })).body as { messages: { messageId: string }[]; pageInfo: { nextPageToken?: string; nextPage?: string } };
      seen.push(...body.messages.map((m) => m.messageId));
      if (!body.pageInfo.nextPageToken) break;
      expect(body.pageInfo.nextPage).toContain(`pageToken=${body.pageInfo.nextPageToken}`);
      query = { ...query, pageToken: body.pageInfo.nextPageToken };
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    // Newest first by default.
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('answers 429 with Retry-After past the list limit', async () => {
    const limited = await startSandbox({ personas: false, listRateLimit: { requests: 3, windowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof api>> | undefined;
      for (let i = 0; i < 4; i += 1) {
        last = await api(limited, 'GET', MESSAGES, { query: { messageStatus: 'DELIVERED' } });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last?.body).toMatchObject({ type: 'rate_limit_exceeded' });
    } finally {
      await limited.stop();
    }
  });
});

describe('media', () => {
  it('stores, serves and deletes media whose id contains slashes, keeping the Content-Type', async () => {
    const bytes = Buffer.from('GIF89a fake but fine');
    const id = 'folder/sub/picture one.gif';
    const path = `/users/${sandbox.accountId}/media/${id.split('/').map(encodeURIComponent).join('/')}`;
    const put = await api(sandbox, 'PUT', MEDIA_ITEM, { path, body: bytes, headers: { 'Content-Type': 'image/gif', 'Cache-Control': 'no-cache' } });
    expect(put.status).toBe(204);
    const get = await api(sandbox, 'GET', MEDIA_ITEM, { path });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('image/gif');
    expect(get.raw.equals(bytes)).toBe(true);
    const overwrite = await api(sandbox, 'PUT', MEDIA_ITEM, { path, body: 'v2', headers: { 'Content-Type': 'text/plain' } });
    expect(overwrite.status).toBe(204);
    expect((await api(sandbox, 'GET', MEDIA_ITEM, { path })).raw.toString()).toBe('v2');
    expect((await api(sandbox, 'DELETE', MEDIA_ITEM, { path })).status).toBe(204);
    expect((await api(sandbox, 'GET', MEDIA_ITEM, { path })).status).toBe(404);
    expect((await api(sandbox, 'GET', MEDIA_ITEM, { path, auth: null })).status).toBe(401);
  });

  it('refuses unsupported types and files over the size limit', async () => {
    const path = `/users/${sandbox.accountId}/media/x.bin`;
    expect((await api(sandbox, 'PUT', MEDIA_ITEM, { path, body: 'x', headers: { 'Content-Type': 'application/x-msdownload' } })).status).toBe(415);
    const big = Buffer.alloc(3.75 * 1024 * 1024 + 1, 1);
    expect((await api(sandbox, 'PUT', MEDIA_ITEM, { path, body: big, headers: { 'Content-Type': 'image/jpeg' } })).status).toBe(400);
    const fits = Buffer.alloc(3.75 * 1024 * 1024, 1);
    expect((await api(sandbox, 'PUT', MEDIA_ITEM, { path, body: fits, headers: { 'Content-Type': 'image/jpeg' } })).status).toBe(204);
  });

  it('lists media in pages linked by Continuation-Token', async () => {
    const paged = await startSandbox({ personas: false, mediaPageSize: 2 });
    try {
      for (const name of ['a.txt', 'b/c.txt', 'd.txt', 'e.txt', 'f.txt']) {
        await api(paged, 'PUT', MEDIA_ITEM, { path: `/users/${paged.accountId}/media/${name}`, body: name, headers: { 'Content-Type': 'text/plain' } });
      }
      const names: string[] = [];
      let token: string | null = null;
      let pages = 0;
      do {
        const response: Awaited<ReturnType<typeof api>> = await api(paged, 'GET', MEDIA, token ? { headers: { 'Continuation-Token': token } } : {});
        const items = response.body as { mediaName: string; contentLength: number; content: string }[];
        names.push(...items.map((item) => item.mediaName));
        for (const item of items) expect(item.content).toBe(`${paged.baseUrl}/users/${paged.accountId}/media/${item.mediaName}`);
        token = response.headers.get('continuation-token');
        pages += 1;
      } while (token && pages < 10);
      expect(names).toEqual(['a.txt', 'b/c.txt', 'd.txt', 'e.txt', 'f.txt']);
      expect(pages).toBe(3);
    } finally {
      await paged.stop();
    }
  });
});

describe('control API', () => {
  it('describes the sandbox, its test numbers and settings, and validates changes', async () => {
    const info = await control<{ baseUrl: string; numbers: string[]; testNumbers: { number: string; code: number }[]; settings: { latencyMs: number } }>(sandbox, 'GET', '');
    expect(info.body.baseUrl).toBe(sandbox.baseUrl);
    expect(info.body.numbers).toEqual(sandbox.numbers.map((n) => n.number));
    expect(info.body.testNumbers).toContainEqual(expect.objectContaining({ number: '+19195554720', code: 4720 }));
    const patched = await control<{ latencyMs: number }>(sandbox, 'PATCH', '/settings', { latencyMs: 30 });
    expect(patched.body.latencyMs).toBe(30);
    // With latency set, answers still come (and stop() still works with the delay pending).
    expect((await sendMessage(sandbox, { from: '+19195550100', to: ['+19845550199'], text: 'slow' })).status).toBe(202);
    expect((await control(sandbox, 'PATCH', '/settings', { latencyMs: 'slow' })).status).toBe(400);
    expect((await control(sandbox, 'PATCH', '/settings', { nonsense: 1 })).status).toBe(400);
    expect(sandboxAccount(sandbox)).toMatchObject({ accountId: sandbox.accountId, auth: { type: 'oauth2', clientId: sandbox.clientId }, tokenUrl: sandbox.tokenUrl, numbers: sandbox.numbers });
    const sent = await control<{ messages: { text: string; recipients: Record<string, { status: string }> }[] }>(sandbox, 'GET', '/messages');
    expect(sent.body.messages.map((m) => m.text)).toContain('slow');
  });
});

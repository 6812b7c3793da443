import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallbackServer } from '../../electron/main/core/callbacks/server';
import { startCallbackServer } from '../../electron/main/core/callbacks/server';
import type { ParsedCallback } from '../../electron/main/core/callbacks/schema';

const fixtures = join(import.meta.dirname, '../fixtures/bandwidth/callbacks');
const arrays = readdirSync(fixtures).filter((f) => f.endsWith('.json'));
const singles = readdirSync(join(fixtures, 'openapi-examples')).filter((f) => f.endsWith('.json'));
const read = (...parts: string[]) => readFileSync(join(fixtures, ...parts), 'utf8');

const creds = { username: 'bandwidth', password: 'pässword:with colon' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const auth = basic(creds.username, creds.password);

let server: CallbackServer;
let ingested: ParsedCallback[][] = [];
let ingest: (events: ParsedCallback[]) => Promise<void> = async () => {};

beforeAll(async () => {
  server = await startCallbackServer({ port: 0, credentials: creds, maxBodyBytes: 64 * 1024, ingest: (events) => ingest(events) });
});
afterAll(() => server.close());
beforeEach(() => {
  ingested = [];
  ingest = async (events) => void ingested.push(events);
});

function post(body: string, headers: Record<string, string> = {}, url = server.url) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'BandwidthAPI/v2', ...headers }, body });
}

describe('callback listener', () => {
  it('listens on 127.0.0.1 with one callback URL', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/callbacks/bandwidth`);
  });

  it.each(arrays)('challenges first, then takes %s as Bandwidth sends it', async (file) => {
    const body = read(file);
    const challenge = await post(body);
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toBe('Basic realm="Switchboard"');
    expect(ingested).toEqual([]);

    const res = await post(body, { authorization: auth });
    expect(res.status).toBe(204);
    // A 204 has no body, so neither a length nor a type (RFC 9110 §8.6).
    expect([res.headers.get('content-length'), res.headers.get('content-type')]).toEqual([null, null]);
    const sent = JSON.parse(body) as { type: string; to: string; time: string; errorCode?: number; message: { id: string; to: string[]; media?: string[] } }[];
    expect(ingested).toHaveLength(1);
    const [event] = ingested[0] as ParsedCallback[];
    expect(event).toMatchObject({ type: sent[0]?.type, to: sent[0]?.to, errorCode: sent[0]?.errorCode ?? null });
    expect(event?.message.id).toBe(sent[0]?.message.id);
    expect(event?.message.to).toEqual(sent[0]?.message.to);
    expect(event?.message.media).toEqual(sent[0]?.message.media ?? []);
    expect(event?.time).toBe(new Date((sent[0]?.time as string).replace(/(\.\d{3})\d+/, '$1')).getTime());
  });

  it.each(singles)('accepts the single-object form of %s', async (file) => {
    const res = await post(read('openapi-examples', file), { authorization: auth });
    expect(res.status).toBe(204);
    expect(ingested[0]).toHaveLength(1);
  });

  it('parses microsecond times and hands over every event of an array', async () => {
    const received = JSON.parse(read('message-received-sms.json')) as object[];
    const delivered = JSON.parse(read('message-delivered-sms.json')) as object[];
    const res = await post(JSON.stringify([...received, ...delivered]), { authorization: auth }, `${server.url}/inbound?x=1`);
    expect(res.status).toBe(204);
    expect(ingested[0]?.map((e) => e.type)).toEqual(['message-received', 'message-delivered']);
    expect(ingested[0]?.[0]?.time).toBe(Date.UTC(2025, 0, 6, 15, 43, 35, 502));
    expect(ingested[0]?.[0]?.message.text).toBe('Hey, check out this SMS!');
  });

  it('refuses wrong credentials, with the challenge again', async () => {
    for (const header of [basic(creds.username, 'wrong'), basic('other', creds.password), 'Basic !!!', `Bearer ${creds.password}`]) {
      const res = await post(read('message-received-sms.json'), { authorization: header });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Switchboard"');
    }
    expect(ingested).toEqual([]);
  });

  it('uses new credentials once they are set', async () => {
    server.setCredentials({ username: 'u2', password: 'p2' });
    try {
      expect((await post(read('message-received-sms.json'), { authorization: auth })).status).toBe(401);
      expect((await post(read('message-received-sms.json'), { authorization: basic('u2', 'p2') })).status).toBe(204);
    } finally {
      server.setCredentials(creds);
    }
  });

  it('answers 415 to anything but JSON, 405 to anything but POST, 404 elsewhere', async () => {
    expect((await post(read('message-received-sms.json'), { authorization: auth, 'content-type': 'text/plain' })).status).toBe(415);
    expect((await fetch(server.url, { headers: { authorization: auth } })).status).toBe(405);
    expect((await post('[]', { authorization: auth }, server.url.replace('/callbacks/bandwidth', '/other'))).status).toBe(404);
    expect((await post('[]', { authorization: auth }, `${server.url}x`)).status).toBe(404);
    expect((await post('[]', { authorization: auth }, `${server.url}/inbound/x?y=1`)).status).toBe(404);
    expect(ingested).toEqual([]);
  });

  it('answers 400 to invalid JSON and names the failing path of a bad event', async () => {
    const broken = await post('[{"type": "message-received",', { authorization: auth });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/Invalid JSON/);

    const event = JSON.parse(read('message-received-sms.json')) as { time: string; message: Record<string, unknown> }[];
    delete event[0]?.message.id;
    if (event[0]) event[0].time = 'yesterday';
    const bad = await post(JSON.stringify(event), { authorization: auth });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toMatch(/0\.message\.id/);
    expect(text).toMatch(/0\.time: "yesterday" is not an ISO-8601 date-time/);

    for (const body of ['[]', '"message-received"', 'null', '42', '[null]', '[{"time": "2026-11-26T10:00:00Z"}]']) {
      expect((await post(body, { authorization: auth })).status, body).toBe(400);
    }
    expect(ingested).toEqual([]);
  });

  it('accepts and skips the RBM-only event types, so Bandwidth does not retry them for a day', async () => {
    const read = { type: 'message-read', time: '2026-11-26T10:00:00Z', eventTime: '2026-11-26T10:00:00Z', to: '+19195550100', description: 'read' };
    const res = await post(JSON.stringify([read]), { authorization: auth });
    expect(res.status).toBe(204);
    expect(ingested).toEqual([]);
  });

  it('stores the events it handles and skips (with a log line) the types it does not know, answering 2xx', async () => {
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (text: string, fields?: Record<string, unknown>) => void warnings.push(`${text} ${JSON.stringify(fields)}`), error: () => {} };
    const own = await startCallbackServer({ port: 0, credentials: creds, logger, ingest: (events) => ingest(events) });
    try {
      const [received] = JSON.parse(read('message-received-sms.json')) as { time: string; to: string; message: object }[];
      const expired = { type: 'message-expired', time: received!.time, to: received!.to, description: 'Message expired', message: received!.message };
      const res = await post(JSON.stringify([received, expired, { type: 'message-exploded' }]), { authorization: auth }, own.url);
      expect(res.status).toBe(204);
      expect(ingested.map((events) => events.map((e) => e.type))).toEqual([['message-received']]);
      expect(ingested[0]?.[0]?.message.text).toBe('Hey, check out this SMS!');
      expect(warnings).toEqual([expect.stringMatching(/skipped.*message-expired.*message-exploded/)]);
    } finally {
      await own.close();
    }
  });

  it('stores the valid events beside an invalid one of a handled type, and answers 400 naming it', async () => {
    const received = JSON.parse(read('message-received-sms.json')) as object[];
    const [delivered] = JSON.parse(read('message-delivered-sms.json')) as { message: Record<string, unknown> }[];
    const broken = { ...delivered!, message: { ...delivered!.message, time: 'yesterday' } };
    const res = await post(JSON.stringify([broken, ...received]), { authorization: auth });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/0\.message\.time: "yesterday" is not an ISO-8601 date-time/);
    expect(ingested.map((events) => events.map((e) => e.type))).toEqual([['message-received']]);
  });

  it('answers 413 to a declared oversized body without reading it', async () => {
    const res = await post('x'.repeat(64 * 1024 + 1), { authorization: auth });
    expect(res.status).toBe(413);
    expect(ingested).toEqual([]);
  });

  it('answers 413 while a chunked body streams past the cap', async () => {
    // No Content-Length, and the body never ends: only a check on the bytes as they arrive can answer at all.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(server.url, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('[');
      for (let i = 0; i < 70; i += 1) req.write(`"${'y'.repeat(1021)}",`);
    });
    expect(status).toBe(413);
    expect(ingested).toEqual([]);
  });

  it('answers 500 when the event cannot be stored, so Bandwidth retries', async () => {
    ingest = async () => {
      throw new Error('disk full');
    };
    const res = await post(read('message-received-sms.json'), { authorization: auth });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toMatch(/disk full/);
  });

  it('answers 2xx only after ingest has resolved', async () => {
    const order: string[] = [];
    ingest = (events) =>
      new Promise((resolve) => {
        order.push('ingest started');
        // Hold the write long enough that an early answer would certainly arrive first.
        setTimeout(() => {
          order.push('stored');
          ingested.push(events);
          resolve();
        }, 200);
      });
    const res = await post(read('message-delivered-sms.json'), { authorization: auth });
    order.push(`answered ${res.status}`);
    expect(order).toEqual(['ingest started', 'stored', 'answered 204']);
  });
});

/**
 * Conformance: every callback the simulator sends validates against the official callback schemas and has the
 * shape of Bandwidth's real payloads (tests/fixtures/bandwidth/callbacks); every messaging response in these
 * tests goes through `api()`, which validates it against the spec's schema for its status; and the official
 * `bandwidth-sdk` client works against the simulator.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Configuration, MediaApi, MessagesApi } from 'bandwidth-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../electron/main/sandbox/index';
import { startSandbox } from '../../electron/main/sandbox/index';
import type { CallbackEventBody, Receiver } from './sandboxSupport';
import { FIXTURES, api, assertResponseConforms, assertSchema, configureCallbacks, control, getToken, sendMessage, startReceiver, waitFor } from './sandboxSupport';

interface Fixture {
  file: string;
  events: Record<string, unknown>[];
}

function loadFixtures(dir: string): Fixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      // Some documented examples keep a literal `{accountId}` in media URLs, which is not a valid URI: fill it in.
      const value = JSON.parse(readFileSync(join(dir, file), 'utf8').replaceAll('{accountId}', '9900000')) as unknown;
      return { file, events: (Array.isArray(value) ? value : [value]) as Record<string, unknown>[] };
    });
}

const fixtures = [...loadFixtures(join(FIXTURES, 'callbacks')), ...loadFixtures(join(FIXTURES, 'callbacks/openapi-examples'))];
const schemaFor = (type: string) => (type === 'message-received' ? 'inboundCallback' : 'statusCallback');

/** For each event type: the keys real payloads use (event and message level), and the keys every one of them has. */
function realShapes() {
  const shapes = new Map<string, { eventKeys: Set<string>; messageKeys: Set<string>; requiredEvent: Set<string>; requiredMessage: Set<string> }>();
  for (const { events } of fixtures) {
    for (const event of events) {
      const type = String(event.type);
      const message = event.message as Record<string, unknown>;
      const shape = shapes.get(type) ?? { eventKeys: new Set(), messageKeys: new Set(), requiredEvent: new Set(Object.keys(event)), requiredMessage: new Set(Object.keys(message)) };
      for (const key of Object.keys(event)) shape.eventKeys.add(key);
      for (const key of Object.keys(message)) shape.messageKeys.add(key);
      shape.requiredEvent = new Set([...shape.requiredEvent].filter((k) => k in event));
      shape.requiredMessage = new Set([...shape.requiredMessage].filter((k) => k in message));
      shapes.set(type, shape);
    }
  }
  return shapes;
}

describe('the conformance checks themselves', () => {
  it('accept every documented callback example', () => {
    expect(fixtures.length).toBe(21);
    for (const { events } of fixtures) for (const event of events) assertSchema(schemaFor(String(event.type)), event);
  });

  it('reject payloads and responses that break the schemas', () => {
    const event = fixtures[0]?.events[0] as Record<string, unknown>;
    expect(() => assertSchema('statusCallback', { ...event, message: { ...(event.message as object), segmentCount: 'one' } })).toThrow(/segmentCount/);
    expect(() => assertSchema('statusCallback', { ...event, type: 'message-exploded' })).toThrow();
    expect(() => assertResponseConforms('/users/{accountId}/messages', 'POST', 400, { type: 'request-validation' })).toThrow(/description/);
    expect(() => assertResponseConforms('/users/{accountId}/messages', 'GET', 200, { totalCount: 1, messages: [{ messageStatus: 'LOST' }] })).toThrow();
    expect(() => assertResponseConforms('/users/{accountId}/messages', 'POST', 503, {})).toThrow(/does not allow/);
  });
});

describe('sandbox callbacks conform to the spec and to real payloads', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    sandbox = await startSandbox({ personas: false, seed: 3, delays: { sendingMs: [10, 20], sentMs: [20, 40], deliveredMs: [50, 100], dlrTimeoutMs: [120, 150] } });
    receiver = await startReceiver();
    await configureCallbacks(sandbox, receiver);
  });
  afterAll(async () => {
    await sandbox.stop();
    await receiver.close();
  });

  it('sends only schema-valid events in arrays, shaped like the documented examples', async () => {
    const sends = [
      { from: '+19195550100', to: ['+19845550199'], text: 'sms', tag: 'x' },
      { from: '+19195550100', to: ['+19845550199'], text: 'mms', media: ['https://example.com/a.png'] },
      { from: '+19195550103', to: ['+19845550191', '+525512345678'], text: 'group', priority: 'high' },
      { from: '+18885550102', to: ['+19195559902'], text: 'toll-free timeout' },
      { from: '+19195550100', to: ['+19195554720'], text: 'carrier failure' },
    ];
    let expected = 0;
    for (const message of sends) {
      const response = await sendMessage(sandbox, message);
      expect(response.status).toBe(202);
      expected += message.to.length;
    }
    await control(sandbox, 'POST', '/inbound', { from: '+19845550177', to: '+19195550101', text: 'inbound sms' });
    await control(sandbox, 'POST', '/inbound', { from: '+19845550177', to: ['+19195550100', '+19845550178'], text: 'group mms', images: 1 });
    await waitFor(() => receiver.events.filter((e) => ['message-delivered', 'message-failed'].includes(e.type)).length >= expected && receiver.events.filter((e) => e.type === 'message-received').length >= 2, 'all callbacks');

    const shapes = realShapes();
    const seen = new Set<string>();
    const accepted = receiver.requests.filter((r) => r.status === 200);
    expect(accepted.length).toBeGreaterThan(10);
    for (const request of accepted) {
      expect(Array.isArray(request.body)).toBe(true);
      for (const event of request.body as CallbackEventBody[]) {
        seen.add(event.type);
        assertSchema(schemaFor(event.type), event);
        const shape = shapes.get(event.type);
        if (!shape) throw new Error(`no documented example of ${event.type}`);
        for (const key of Object.keys(event)) expect(shape.eventKeys, `${event.type} key ${key}`).toContain(key);
        for (const key of Object.keys(event.message)) expect(shape.messageKeys, `${event.type} message key ${key}`).toContain(key);
        for (const key of shape.requiredEvent) expect(event, `${event.type} lacks ${key}`).toHaveProperty(key);
        // media and tag appear only when the message has them.
        for (const key of shape.requiredMessage) if (key !== 'media' && key !== 'tag') expect(event.message, `${event.type} message lacks ${key}`).toHaveProperty(key);
        expect(event.message.direction).toBe(event.type === 'message-received' ? 'in' : 'out');
        if (event.type !== 'message-received') expect(event.message.text).toBe('');
        if (event.type === 'message-failed') expect(typeof event.errorCode).toBe('number');
        else expect(event).not.toHaveProperty('errorCode');
      }
    }
    expect([...seen].sort()).toEqual(['message-delivered', 'message-failed', 'message-received', 'message-sending', 'message-sent']);
  });

  it('validates the error answers too (400, 401, 403, 404, 415, 429)', async () => {
    // `api` throws if a body does not match the spec's schema for its status.
    expect((await sendMessage(sandbox, { from: 'nope', to: ['+1'] })).status).toBe(400);
    expect((await api(sandbox, 'GET', '/users/{accountId}/messages', { query: { messageStatus: 'SENT' }, auth: 'Bearer x.y.z' })).status).toBe(401);
    expect((await api(sandbox, 'GET', '/users/{accountId}/media', { path: '/users/42/media' })).status).toBe(403);
    expect((await api(sandbox, 'GET', '/users/{accountId}/media/{mediaId}', { path: `/users/${sandbox.accountId}/media/none` })).status).toBe(404);
    expect((await api(sandbox, 'POST', '/users/{accountId}/messages', { body: '<xml/>', headers: { 'Content-Type': 'application/xml' } })).status).toBe(415);
    await control(sandbox, 'POST', '/fail-next', { count: 1, status: 429 });
    expect((await api(sandbox, 'GET', '/users/{accountId}/media')).status).toBe(429);
  });
});

describe('the official bandwidth-sdk against the simulator', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ personas: false });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('sends a message, lists messages, uploads and fetches media (OAuth2 bearer and legacy Basic)', async () => {
    // The SDK's token URL is fixed to api.bandwidth.com, so the token comes from the sandbox's token endpoint.
    const oauth = new Configuration({ basePath: sandbox.baseUrl, accessToken: () => getToken(sandbox) });
    const legacy = new Configuration({ basePath: sandbox.baseUrl, username: sandbox.apiUser.username, password: sandbox.apiUser.password });
    for (const config of [oauth, legacy]) {
      const messages = new MessagesApi(config);
      const sent = await messages.createMessage(sandbox.accountId, { applicationId: sandbox.applicationId, from: '+19195550100', to: new Set(['+19845550199']), text: 'from the SDK' });
      expect(sent.status).toBe(202);
      expect(sent.data.id).toMatch(/^\d{13}[a-z0-9]{16}$/);
      expect(sent.data.segmentCount).toBe(1);

      const list = await messages.listMessages(sandbox.accountId, sent.data.id);
      expect(list.data.totalCount).toBe(1);
      expect(list.data.messages?.[0]?.messageId).toBe(sent.data.id);

      const media = new MediaApi(config);
      const bytes = Buffer.from('hello media');
      const upload = await media.uploadMedia(sandbox.accountId, 'sdk/folder/hello.txt', bytes as unknown as File, 'text/plain');
      expect(upload.status).toBe(204);
      const fetched = await media.getMedia(sandbox.accountId, 'sdk/folder/hello.txt', { responseType: 'arraybuffer' });
      expect(Buffer.from(fetched.data as unknown as ArrayBuffer).toString()).toBe('hello media');
      const all = await media.listMedia(sandbox.accountId);
      expect(all.data.map((m) => m.mediaName)).toContain('sdk/folder/hello.txt');
    }
    const refused = new MessagesApi(new Configuration({ basePath: sandbox.baseUrl, username: 'x', password: 'y' }));
    await expect(refused.listMessages(sandbox.accountId, 'x')).rejects.toMatchObject({ response: { status: 401 } });
  });
});

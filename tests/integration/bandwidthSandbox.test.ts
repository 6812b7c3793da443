import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAccountConfig } from '../../electron/main/core/bandwidth/account';
import type { BandwidthClient } from '../../electron/main/core/bandwidth/client';
import { createBandwidthClient } from '../../electron/main/core/bandwidth/client';
import type { ParsedCallback } from '../../electron/main/core/callbacks/schema';
import type { CallbackServer } from '../../electron/main/core/callbacks/server';
import { startCallbackServer } from '../../electron/main/core/callbacks/server';
import type { Sandbox } from '../../electron/main/sandbox/index';
import { startSandbox } from '../../electron/main/sandbox/index';

/** The clients and the callback listener against the Bandwidth simulator, end to end over real HTTP. */
const CALLBACK_CREDS = { username: 'switchboard', password: 'cb-secret' };
const CUSTOMER = '+12025550142';

let sandbox: Sandbox;
let listener: CallbackServer;
let bw: BandwidthClient;
const dir = mkdtempSync(join(tmpdir(), 'sb-bwsandbox-'));
const received: ParsedCallback[] = [];
let waiters: (() => void)[] = [];

/** Resolves once an ingested event matches (the test timeout is the bound). */
function waitForEvent(match: (e: ParsedCallback) => boolean): Promise<ParsedCallback> {
  return new Promise((resolve) => {
    const check = () => {
      const found = received.find(match);
      if (found) resolve(found);
      else waiters.push(check);
    };
    check();
  });
}

const accountFor = (s: Sandbox, auth: unknown) =>
  parseAccountConfig({ accountId: s.accountId, applicationId: s.applicationId, auth, baseUrl: s.baseUrl, tokenUrl: s.tokenUrl, dashboardUrl: s.dashboardUrl });

beforeAll(async () => {
  sandbox = await startSandbox({ personas: false, timeScale: 0.02, seed: 7 });
  listener = await startCallbackServer({
    port: 0,
    credentials: CALLBACK_CREDS,
    ingest: async (events) => {
      received.push(...events);
      const pending = waiters;
      waiters = [];
      pending.forEach((w) => w());
    },
  });
  bw = createBandwidthClient(accountFor(sandbox, { type: 'oauth2', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }));
});

afterAll(async () => {
  await bw.close();
  await sandbox.stop();
  await listener.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('against the sandbox', () => {
  it('checks credentials: OAuth2 and Basic pass, a wrong secret is named', async () => {
    expect(await bw.checkCredentials()).toEqual({ ok: true });
    const basic = createBandwidthClient(accountFor(sandbox, { type: 'basic', ...sandbox.apiUser }));
    const wrong = createBandwidthClient(accountFor(sandbox, { type: 'oauth2', clientId: sandbox.clientId, clientSecret: 'nope' }));
    try {
      expect(await basic.checkCredentials()).toEqual({ ok: true });
      expect(await wrong.checkCredentials()).toMatchObject({ ok: false, reason: 'credentials' });
    } finally {
      await Promise.all([basic.close(), wrong.close()]);
    }
  });

  it('lists the account numbers as E.164', async () => {
    expect((await bw.dashboard.listInServiceNumbers()).sort()).toEqual(sandbox.numbers.map((n) => n.number).sort());
  });

  it('points the application at the listener through the Dashboard', async () => {
    const creds = { userId: CALLBACK_CREDS.username, password: CALLBACK_CREDS.password };
    const app = await bw.dashboard.patchApplication({ inboundCallbackUrl: listener.url, outboundCallbackUrl: listener.url, inboundCallbackCreds: creds, outboundCallbackCreds: creds });
    expect(app).toMatchObject({ inboundCallbackUrl: listener.url, outboundCallbackUrl: listener.url, inboundCallbackUserId: CALLBACK_CREDS.username });
    expect((await bw.dashboard.getApplication()).outboundCallbackUrl).toBe(listener.url);
  });

  it('sends an SMS and receives its status callbacks through the challenge', async () => {
    const from = sandbox.numbers[0]?.number as string;
    const result = await bw.messaging.sendMessage({ from, to: [CUSTOMER], text: 'Hello from Switchboard', tag: 'e2e' });
    if (result.kind !== 'accepted') throw new Error(`send failed: ${JSON.stringify(result)}`);
    const delivered = await waitForEvent((e) => e.message.id === result.message.id && e.type === 'message-delivered');
    expect(delivered).toMatchObject({ to: CUSTOMER, message: { from, to: [CUSTOMER], tag: 'e2e', direction: 'out' } });

    const log = (await (await fetch(`${sandbox.controlUrl}/callbacks`)).json()) as { attempts: { status: number | null; withCredentials: boolean }[] };
    expect(log.attempts.some((a) => a.status === 204 && a.withCredentials)).toBe(true);

    const page = await bw.messaging.listMessages({ messageId: result.message.id });
    expect(page.messages[0]).toMatchObject({ messageId: result.message.id, messageDirection: 'OUTBOUND' });
  });

  it('reports a failing destination as message-failed with its code', async () => {
    const result = await bw.messaging.sendMessage({ from: sandbox.numbers[0]?.number as string, to: ['+19195554720'], text: 'x' });
    if (result.kind !== 'accepted') throw new Error(`send failed: ${JSON.stringify(result)}`);
    const failed = await waitForEvent((e) => e.message.id === result.message.id && e.type === 'message-failed');
    expect(failed.errorCode).toBe(4720);
  });

  it('uploads media for an MMS, and downloads inbound media with the account credentials', async () => {
    const progress: number[] = [];
    const image = Buffer.from('GIF89a-not-really-an-image');
    const { url } = await bw.messaging.uploadMedia('switchboard/e2e/hello.gif', image, 'image/gif', { onProgress: (n) => progress.push(n) });
    expect(progress.at(-1)).toBe(image.length);
    const sent = await bw.messaging.sendMessage({ from: sandbox.numbers[0]?.number as string, to: [CUSTOMER], media: [url] });
    expect(sent.kind).toBe('accepted');

    const to = sandbox.numbers[1]?.number as string;
    const res = await fetch(`${sandbox.controlUrl}/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: CUSTOMER, to, text: 'a picture', images: 1 }) });
    const { messageIds } = (await res.json()) as { messageIds: string[] };
    const inbound = await waitForEvent((e) => e.type === 'message-received' && e.message.id === messageIds[0]);
    expect(inbound).toMatchObject({ to, message: { from: CUSTOMER, text: 'a picture', direction: 'in' } });
    expect(inbound.message.media).toHaveLength(1);

    const dest = join(dir, 'inbound.jpg');
    const file = await bw.messaging.downloadMedia(inbound.message.media[0] as string, dest);
    expect(file.bytes).toBeGreaterThan(0);
    expect(readFileSync(dest).length).toBe(file.bytes);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);

    await bw.messaging.deleteMedia('switchboard/e2e/hello.gif');
    expect(existsSync(dest)).toBe(true);
  });
});

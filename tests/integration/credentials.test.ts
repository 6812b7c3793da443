import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/ipc/contract';
import { startSandbox, type Sandbox } from '../../electron/main/sandbox/index';
import { CoreHarness } from '../support/coreHarness';

describe('credentials over RPC: checked, stored only encrypted, never returned', () => {
  // No tunnel: Live mode would otherwise open one to the public localtunnel server.
  const h = new CoreHarness({}, { tunnelHost: false });
  let live: Sandbox;
  let input: MethodInput<'credentials.set'>;
  beforeAll(async () => {
    await h.start();
    // Another simulator plays the customer's real Bandwidth account.
    live = await startSandbox({ personas: false, accountId: '5550001' });
    input = {
      accountId: live.accountId,
      applicationId: live.applicationId,
      auth: { type: 'oauth2', clientId: live.clientId, clientSecret: live.clientSecret },
      baseUrl: live.baseUrl,
      tokenUrl: live.tokenUrl,
      dashboardUrl: live.dashboardUrl,
      numbers: [{ number: '+19195550103', class: '10dlc' }],
    };
  });
  afterAll(async () => {
    await h.stop();
    await live?.stop();
  });

  /** The data folder's bytes (database, WAL, key file excluded): where a secret in plain text would show. */
  const stored = () =>
    readdirSync(h.dataDir)
      .filter((name) => name.startsWith('switchboard.db'))
      .map((name) => readFileSync(join(h.dataDir, name)).toString('latin1'))
      .join('');

  it('refuses a wrong secret with a clear message and stores nothing', async () => {
    const wrong = { ...input, auth: { type: 'oauth2' as const, clientId: live.clientId, clientSecret: 'not-the-secret' } };
    await expect(h.client.call('credentials.set', wrong)).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/refused the OAuth2 client id and secret/) });
    expect(await h.client.call('credentials.status', {})).toMatchObject({ mode: 'sandbox', authType: null, accountId: null, checkedAt: null });
    expect((await h.client.call('account.status', {})).mode).toBe('sandbox');
    await h.restart();
    expect((await h.client.call('credentials.status', {})).mode).toBe('sandbox');
  });

  it('refuses an address where no Bandwidth answers as unavailable', async () => {
    await expect(h.client.call('credentials.set', { ...input, baseUrl: 'http://127.0.0.1:1/api/v2', tokenUrl: 'http://127.0.0.1:1/token' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect((await h.client.call('credentials.status', {})).mode).toBe('sandbox');
  });

  it('accepts the right ones: Live mode, sends go to that account, the secret never comes back nor sits in plain text', async () => {
    const status = await h.client.call('credentials.set', input);
    expect(status).toMatchObject({ mode: 'live', authType: 'oauth2', accountId: live.accountId, clientIdOrUsername: live.clientId, error: null });
    expect(status.checkedAt).toEqual(expect.any(Number));
    expect(await h.client.call('account.status', {})).toMatchObject({ mode: 'live', accountId: live.accountId, applicationId: live.applicationId });

    const { message } = await h.client.call('messages.send', { from: '+19195550103', to: ['+19845550111'], text: 'sent on the Live account' });
    await h.next('message.statusChanged', (p) => p.message.id === message.id && p.message.status === 'accepted');
    const sent = (await (await fetch(`${live.controlUrl}/messages`)).json()) as { messages: { text: string }[] };
    expect(sent.messages.map((m) => m.text)).toContain('sent on the Live account');

    await h.restart();
    const again = await h.client.call('credentials.status', {});
    expect(again).toMatchObject({ mode: 'live', accountId: live.accountId });
    expect(JSON.stringify(again)).not.toContain(live.clientSecret);
    expect(JSON.stringify(await h.client.call('account.status', {}))).not.toContain(live.clientSecret);
    expect(stored()).toContain('liveAccount');
    expect(stored()).not.toContain(live.clientSecret);
  });

  it('clear returns to the Sandbox and forgets the account', async () => {
    expect(await h.client.call('credentials.clear', {})).toMatchObject({ mode: 'sandbox', authType: null, accountId: null });
    expect((await h.client.call('account.status', {})).mode).toBe('sandbox');
    await h.restart();
    expect((await h.client.call('credentials.status', {})).mode).toBe('sandbox');
  });
});

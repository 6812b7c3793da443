import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TunnelState } from '../../shared/ipc/schemas';
import { sandboxAccountConfig } from '../support/sandboxAccount';
import { createBandwidthClient, type BandwidthClient } from '../../electron/main/core/bandwidth/client';
import { CALLBACK_PATH } from '../../electron/main/core/callbacks/server';
import { systemClock } from '../../electron/main/core/platform/node';
import { startSandbox, type Sandbox } from '../../electron/main/sandbox/index';
import { CoreHarness } from '../support/coreHarness';
import { startLocaltunnelServer, type LocaltunnelServer } from '../support/localtunnelServer';
import { connectRpc, killAll, startBrowserMode, type AppReady, type Child, type RpcConnection } from '../support/processes';

const OURS = '+19195550100';
const CUSTOMER = '+19845550191';

const until = async (done: () => Promise<boolean> | boolean) => {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 100));
};

describe('Live mode through the tunnel (browser mode, the sandbox as Bandwidth, a local localtunnel server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-live-'));
  let tunnelServer: LocaltunnelServer;
  let bandwidth: Sandbox;
  let dashboard: BandwidthClient;
  let app: Child<AppReady>;
  let rpc: RpcConnection;
  const states: TunnelState[] = [];

  beforeAll(async () => {
    tunnelServer = await startLocaltunnelServer();
    bandwidth = await startSandbox({ personas: false, timeScale: 0.2 });
    const account = sandboxAccountConfig(bandwidth, bandwidth.numbers);
    writeFileSync(join(dir, 'account.json'), JSON.stringify(account));
    dashboard = createBandwidthClient(account, { clock: systemClock });
    await launch();
  });
  const launch = async () => {
    app = await startBrowserMode(join(dir, 'data'), ['--account', join(dir, 'account.json'), '--tunnel-host', tunnelServer.host, '--callback-user', 'live-user', '--callback-password', 'live-password']);
    rpc = await connectRpc(app.ready);
    rpc.client.on('tunnel.stateChanged', (state) => states.push(state));
  };
  afterAll(async () => {
    await killAll();
    await dashboard?.close();
    await bandwidth?.stop();
    await tunnelServer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tunnelOnline = async () => {
    let status = await rpc.client.call('account.status', {});
    await until(async () => (status = await rpc.client.call('account.status', {})).tunnel.state === 'online');
    return status;
  };
  const pointedAt = (url: string) => until(async () => (await dashboard.dashboard.getApplication()).inboundCallbackUrl === url);
  const inboundArrives = async (text: string) => {
    const created = rpc.next('message.created', ({ message }) => message.direction === 'in' && message.text === text);
    await fetch(`${bandwidth.controlUrl}/inbound`, { method: 'POST', body: JSON.stringify({ from: CUSTOMER, to: OURS, text }) });
    return (await created).message;
  };

  it('goes online at the public URL and points the application callbacks (and credentials) at it', async () => {
    const status = await tunnelOnline();
    expect(status).toMatchObject({ mode: 'live', accountId: bandwidth.accountId, connection: 'online' });
    const publicUrl = status.tunnel.publicUrl!;
    expect(publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(tunnelServer.requested[0]).toMatch(/^sb-[0-9a-f]{12}$/);
    await pointedAt(`${publicUrl}${CALLBACK_PATH}`);
    const application = await dashboard.dashboard.getApplication();
    expect(application).toMatchObject({ outboundCallbackUrl: `${publicUrl}${CALLBACK_PATH}`, inboundCallbackUserId: 'live-user', outboundCallbackUserId: 'live-user' });
  });

  it('an inbound message reaches the app through the tunnel, and status callbacks too', async () => {
    const { publicUrl } = (await tunnelOnline()).tunnel;
    const message = await inboundArrives('hello through the tunnel');
    expect(message.from).toBe(CUSTOMER);
    const { message: sent } = await rpc.client.call('messages.send', { from: OURS, to: [CUSTOMER], text: 'answer through the tunnel' });
    await rpc.next('message.statusChanged', (p) => p.message.id === sent.id && p.message.status === 'delivered');
    const log = (await (await fetch(`${bandwidth.controlUrl}/callbacks`)).json()) as { attempts: { messageId: string; url: string; status: number; withCredentials: boolean }[] };
    const received = log.attempts.filter((a) => a.messageId === message.bandwidthId);
    expect(received).toEqual([expect.objectContaining({ url: `${publicUrl}${CALLBACK_PATH}`, status: 204, withCredentials: true })]);
  });

  it('when the tunnel server forgets us and hands out a new URL, the application follows it', async () => {
    const first = (await tunnelOnline()).tunnel.publicUrl!;
    states.length = 0;
    tunnelServer.rotateNextId();
    tunnelServer.expire();
    await until(() => states.some((s) => s.state === 'online' && s.publicUrl !== null && s.publicUrl !== first));
    const second = states.find((s) => s.state === 'online')!.publicUrl!;
    expect(states[0]!.state).toBe('reconnecting');
    await pointedAt(`${second}${CALLBACK_PATH}`);
    expect((await dashboard.dashboard.getApplication()).outboundCallbackUrl).toBe(`${second}${CALLBACK_PATH}`);
    expect((await inboundArrives('hello at the new address')).from).toBe(CUSTOMER);
  });

  it('asks for the same subdomain after a restart, though the callback listener gets a new port', async () => {
    const before = app.ready.callbackUrl;
    rpc.close();
    expect(await app.kill('SIGTERM')).toBe(0);
    const asked = tunnelServer.requested.length;
    await launch();
    expect(app.ready.callbackUrl).not.toBe(before);
    await tunnelOnline();
    expect(tunnelServer.requested.length).toBeGreaterThan(asked);
    expect(new Set(tunnelServer.requested)).toEqual(new Set([tunnelServer.requested[0]]));
  });
});

describe('reconciliation after a tunnel gap (the core in process, Live mode)', () => {
  // The periodic pass is minutes away and the one at start is over: only the tunnel's return can settle it.
  const h = new CoreHarness({ timeScale: 0.2, seed: 21 }, { engine: { reconcile: { quietForMs: 0 } } });
  let server: LocaltunnelServer;
  beforeAll(async () => {
    server = await startLocaltunnelServer();
    await h.startLive(server.host);
  });
  afterAll(async () => {
    await h.stop();
    await server?.close();
  });

  it('looks up the receipts lost while the tunnel was down as soon as it is back', async () => {
    await until(async () => (await h.client.call('account.status', {})).tunnel.state === 'online');
    expect((await h.client.call('account.status', {})).mode).toBe('live');
    // The tunnel goes down and cannot come back for now; what Bandwidth sends meanwhile is lost.
    server.respondWith(503);
    const down = h.next('tunnel.stateChanged', (s) => s.state !== 'online');
    server.expire();
    await down;
    const response = await fetch(`${h.controlUrl}/settings`, { method: 'PATCH', body: JSON.stringify({ callbackDropRate: 1 }) });
    expect(response.status).toBe(200);

    const accepted = h.next('message.statusChanged', ({ message }) => message.text === 'delivered during the gap' && message.status === 'accepted');
    const { message } = await h.client.call('messages.send', { from: OURS, to: [CUSTOMER], text: 'delivered during the gap' });
    const { bandwidthId } = (await accepted).message;
    await until(async () => {
      const { messages } = (await (await fetch(`${h.controlUrl}/messages`)).json()) as { messages: { id: string; recipients: Record<string, { status: string }> }[] };
      return messages.find((m) => m.id === bandwidthId)?.recipients[CUSTOMER]?.status === 'DELIVERED';
    });
    expect((await h.client.call('messages.list', { threadId: message.threadId })).messages.find((m) => m.id === message.id)?.status).toBe('accepted');

    const delivered = h.next('message.statusChanged', (p) => p.message.id === message.id && p.message.status === 'delivered', 25_000);
    server.respondWith('ok');
    await delivered;
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { createClient } from '../../shared/ipc/client';
import { startHost, type Host } from '../../electron/main/host/host';
import { webSocketTransport, type ConnectionState, type LiveTransport } from '../../renderer/src/api/transport';
import { CoreHarness, quietLogger } from '../support/coreHarness';

/**
 * The page's transport against browser mode's real host: a dropped socket comes back by itself while the same run
 * is there; a restarted run (same port, new token) is told apart from one that is down, since no retry can help it.
 */
describe('browser-mode reconnection', () => {
  const h = new CoreHarness();
  const rendererDir = mkdtempSync(join(tmpdir(), 'sb-renderer-'));
  let host: Host;
  let port: number;
  let rpcUrl: string;
  let transport: LiveTransport;
  const sockets: NodeWebSocket[] = [];
  const start = async () => {
    host = await startHost({ core: h.core, port, rendererDir, logger: quietLogger });
    port = Number(new URL(host.url).port);
  };
  beforeAll(async () => {
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Switchboard</title>');
    await h.start();
    port = 0;
    await start();
    rpcUrl = host.rpcUrl;
    // The browser's WebSocket as the page has it: our own origin; a refused upgrade is an event, not a throw.
    const origin = new URL(host.url).origin;
    const Socket = class extends NodeWebSocket {
      constructor(url: string) {
        super(url, { origin });
        this.on('error', () => {});
        sockets.push(this);
      }
    } as unknown as typeof WebSocket;
    transport = webSocketTransport(() => rpcUrl, Socket);
    await reach('open');
  });
  afterAll(async () => {
    transport.close();
    await host.close();
    await h.stop();
    rmSync(rendererDir, { recursive: true, force: true });
  });

  const reach = (target: ConnectionState) =>
    new Promise<void>((resolve) => {
      const off = transport.onConnectionChange((state) => {
        if (state !== target) return;
        off();
        resolve();
      });
    });
  const tokenStatus = (token: string) => fetch(`http://127.0.0.1:${port}/rpc`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  it('tells a page whether its token is this run’s, and nothing more', async () => {
    expect(await tokenStatus(new URL(rpcUrl).searchParams.get('token')!)).toBe(204);
    expect(await tokenStatus('an-old-runs-token')).toBe(401);
  });

  it('reconnects by itself when the socket drops and the same run is still there', async () => {
    const client = createClient(transport);
    const dropped = reach('closed');
    const back = reach('open');
    sockets.at(-1)!.terminate();
    await dropped;
    await back;
    expect((await client.call('account.status', {})).mode).toBe('sandbox');
  });

  it('while down, fails requests at once; after a restart, says so until a new token comes', async () => {
    const client = createClient(transport);
    const down = reach('closed');
    await host.close();
    await down;
    await expect(client.call('account.status', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    // The same port, a new run: its token is not ours, and retrying cannot change that.
    const restarted = reach('restarted');
    await start();
    await restarted;
    await expect(client.call('account.status', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    // The new run's address (opened in this tab or another) brings its token.
    rpcUrl = host.rpcUrl;
    const open = reach('open');
    transport.reconnect();
    await open;
    expect((await client.call('account.status', {})).mode).toBe('sandbox');
  });
});

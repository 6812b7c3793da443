import { join } from 'node:path';
import { WebSocket as NodeWebSocket } from 'ws';
import { createClient, type RpcClient } from '../shared/ipc/client';
import { createInMemoryTransport } from '../shared/ipc/inMemoryTransport';
import type { AccountConfig } from '../electron/main/core/bandwidth/account';
import { createCore, type Core, type CoreOptions } from '../electron/main/core/createCore';
import { createKeyFileEncryptor, systemClock } from '../electron/main/core/platform/node';
import type { Logger } from '../electron/main/core/platform/ports';
import { startHost, type Host } from '../electron/main/host/host';
import { embeddedSandbox } from '../electron/main/sandbox/embedded';
import { webSocketTransport, type LiveTransport } from '../renderer/src/api/transport';

export const quietLogger: Logger = { info() {}, warn() {}, error() {} };
export const CALLBACK_CREDENTIALS = { username: 'bench', password: 'bench-secret' };

export interface BenchCore {
  core: Core;
  /** Through the in-memory transport (JSON round trip, no wire). */
  local: RpcClient;
  /** Through browser mode's WebSocket host (throws when started with `wsClient: false`). */
  ws: RpcClient;
  /** Browser mode's socket address and the page origin it accepts, for a window in another process. */
  rpcUrl: string;
  origin: string;
  stop(): Promise<void>;
}

/**
 * The app's core on a data folder, as createCore builds it: Sandbox mode (the embedded simulator, no personas) unless
 * a Live account is given; the callback listener with fixed credentials; browser mode's host for the WebSocket.
 */
export async function startBenchCore(dataDir: string, account?: AccountConfig, engine?: CoreOptions['engine'], options: { wsClient?: boolean } = {}): Promise<BenchCore> {
  const sandbox = embeddedSandbox({ personas: false });
  const core = createCore({
    dataDir,
    clock: systemClock,
    logger: quietLogger,
    encryptor: createKeyFileEncryptor(join(dataDir, 'secret.key')),
    version: 'bench',
    sandbox,
    account,
    callback: { port: 0, ...CALLBACK_CREDENTIALS },
    tunnelHost: false,
    engine,
  });
  await core.start();
  const host: Host = await startHost({ core, port: 0, rendererDir: join(import.meta.dirname, '..', 'out', 'renderer'), logger: quietLogger });
  const origin = new URL(host.url).origin;
  const Socket = class extends NodeWebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  } as unknown as typeof WebSocket;
  // Without it, nothing in this process receives the events (a window in another process may: see rpcUrl).
  const transport: LiveTransport | null = options.wsClient === false ? null : webSocketTransport(host.rpcUrl, Socket);
  return {
    core,
    local: createClient(createInMemoryTransport(core.rpc)),
    ws: createClient(transport ?? { request: () => Promise.reject(new Error('started without a WebSocket client')), onEvent: () => () => {} }),
    rpcUrl: host.rpcUrl,
    origin,
    async stop() {
      transport?.close();
      await host.close();
      await core.stop();
      await sandbox.stop();
    },
  };
}

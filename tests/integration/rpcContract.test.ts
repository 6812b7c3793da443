import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { createClient, type RpcClient } from '../../shared/ipc/client';
import type { ClientTransport } from '../../shared/ipc/envelope';
import { AppError } from '../../shared/ipc/errors';
import { createInMemoryTransport } from '../../shared/ipc/inMemoryTransport';
import type { Logger } from '../../electron/main/core/platform/ports';
import { createRpcServer, type Handlers, type RpcServer } from '../../electron/main/core/rpc/rpcServer';
import { attachWsTransport } from '../../electron/main/core/rpc/wsTransport';
import { webSocketTransport, type LiveTransport } from '../../renderer/src/api/transport';

const silent: Logger = { info() {}, warn() {}, error() {} };
const status = {
  mode: 'sandbox' as const,
  accountId: '9900000',
  applicationId: 'app',
  numbers: [{ number: '+19195550100', class: 'local' as const, mps: 1 }],
  connection: 'online' as const,
  callbackUrl: null,
  tunnel: { state: 'off' as const, publicUrl: null, error: null },
  dataDir: '/tmp/x',
  version: '0.0.0',
};
let lastSend: unknown;
const handlers: Partial<Handlers> = {
  'account.status': () => status,
  'queue.status': () => {
    throw new Error('secret stack detail');
  },
  'messages.send': (input) => {
    lastSend = input;
    throw new AppError('OPTED_OUT', `${input.to[0]} opted out`);
  },
};

/** One contract suite, run over every transport: they must behave identically. */
function contractSuite(name: string, setup: () => Promise<{ server: RpcServer; transport: ClientTransport; teardown(): Promise<void> }>) {
  describe(`RPC contract over ${name}`, () => {
    let server: RpcServer;
    let client: RpcClient;
    let transport: ClientTransport;
    let teardown: () => Promise<void>;
    beforeAll(async () => {
      ({ server, transport, teardown } = await setup());
      client = createClient(transport);
    });
    afterAll(() => teardown());

    it('round-trips a call with parsed output', async () => {
      await expect(client.call('account.status', {})).resolves.toEqual(status);
    });

    it('refuses an unknown method with INVALID_INPUT naming it', async () => {
      const response = await transport.request({ id: 7, method: 'nope.nothing', input: {} });
      expect(response).toEqual({ id: 7, ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('nope.nothing') } });
    });

    it('refuses invalid input with INVALID_INPUT naming each field', async () => {
      const response = await transport.request({ id: 8, method: 'messages.send', input: { from: 'abc', to: [], extra: 1 } });
      expect(response.ok).toBe(false);
      if (response.ok) return;
      expect(response.error.code).toBe('INVALID_INPUT');
      expect(response.error.message).toMatch(/from: "abc" is not a valid phone number/);
      expect(response.error.message).toMatch(/to: /);
      expect(response.error.message).toMatch(/extra/);
    });

    it('normalises numbers before the handler sees them and carries domain errors', async () => {
      await expect(client.call('messages.send', { from: '(919) 555-0100', to: ['919-555-1234'], text: 'hi' })).rejects.toMatchObject({
        code: 'OPTED_OUT',
        message: '+19195551234 opted out',
      });
      expect(lastSend).toMatchObject({ from: '+19195550100', to: ['+19195551234'] });
    });

    it('hides internal errors behind INTERNAL without a stack', async () => {
      const response = await transport.request({ id: 9, method: 'queue.status', input: {} });
      expect(response).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      expect(JSON.stringify(response)).not.toContain('secret stack detail');
    });

    it('answers a method without a handler with UNAVAILABLE', async () => {
      await expect(client.call('threads.list', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    });

    it('delivers events with parsed payloads, and refuses to emit an invalid payload', async () => {
      const received = new Promise((resolve) => {
        const off = client.on('queue.changed', (payload) => {
          off();
          resolve(payload);
        });
      });
      const payload = { depth: 2, scheduled: 1, nextSendAt: 5, drainedBy: 10 };
      server.emit('queue.changed', payload);
      await expect(received).resolves.toEqual(payload);
      expect(() => server.emit('queue.changed', { depth: -1 } as never)).toThrow(/depth/);
    });
  });
}

contractSuite('the in-memory transport', async () => {
  const server = createRpcServer(() => handlers, silent);
  return { server, transport: createInMemoryTransport(server), teardown: async () => {} };
});

async function startWsServer(server: RpcServer) {
  const http: Server = createServer((_, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const ws = attachWsTransport({ server: http, path: '/rpc', token: 'right-token', allowedOrigin: () => origin, endpoint: server, logger: silent });
  return {
    port,
    origin,
    close: async () => {
      await ws.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const socketWithOrigin = (origin: string) =>
  class extends NodeWebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  } as unknown as typeof WebSocket;

contractSuite('WebSocket', async () => {
  const server = createRpcServer(() => handlers, silent);
  const ws = await startWsServer(server);
  const transport: LiveTransport = webSocketTransport(`ws://127.0.0.1:${ws.port}/rpc?token=right-token`, socketWithOrigin(ws.origin));
  return {
    server,
    transport,
    teardown: async () => {
      transport.close();
      await ws.close();
    },
  };
});

describe('WebSocket transport security', () => {
  let ws: Awaited<ReturnType<typeof startWsServer>>;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-ws-'));
    ws = await startWsServer(createRpcServer(() => handlers, silent));
  });
  afterAll(async () => {
    await ws.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const attempt = (url: string, origin: string) =>
    new Promise<number>((resolve) => {
      const socket = new NodeWebSocket(url, { origin });
      socket.on('open', () => {
        socket.close();
        resolve(101);
      });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('error', () => {});
    });

  it('accepts the right token from our own origin', async () => {
    expect(await attempt(`ws://127.0.0.1:${ws.port}/rpc?token=right-token`, ws.origin)).toBe(101);
  });
  it('refuses a wrong or missing token', async () => {
    expect(await attempt(`ws://127.0.0.1:${ws.port}/rpc?token=wrong-token`, ws.origin)).toBe(401);
    expect(await attempt(`ws://127.0.0.1:${ws.port}/rpc`, ws.origin)).toBe(401);
  });
  it('refuses another origin, even with the right token', async () => {
    expect(await attempt(`ws://127.0.0.1:${ws.port}/rpc?token=right-token`, 'http://evil.example')).toBe(403);
  });
  it('refuses other paths', async () => {
    expect(await attempt(`ws://127.0.0.1:${ws.port}/other?token=right-token`, ws.origin)).toBe(404);
  });
});

describe('WebSocket event frames', () => {
  const queueChanged = (depth: number) => ({ depth, scheduled: 0, nextSendAt: null, drainedBy: null });
  let server: RpcServer;
  let ws: Awaited<ReturnType<typeof startWsServer>>;
  beforeAll(async () => {
    server = createRpcServer(
      () => ({
        // An answer that follows an event: the page must see the event first.
        'account.status': () => {
          server.emit('queue.changed', queueChanged(99));
          return status;
        },
      }),
      silent,
    );
    ws = await startWsServer(server);
  });
  afterAll(() => ws.close());

  /** A raw socket that records each frame as it arrived. */
  async function rawClient() {
    const socket = new NodeWebSocket(`ws://127.0.0.1:${ws.port}/rpc?token=right-token`, { origin: ws.origin });
    const frames: unknown[] = [];
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString())));
    await new Promise((resolve) => socket.once('open', resolve));
    return { socket, frames };
  }

  it('sends the events of one turn as one frame, in the order they were emitted', async () => {
    const { socket, frames } = await rawClient();
    for (let depth = 1; depth <= 50; depth++) server.emit('queue.changed', queueChanged(depth));
    server.emit('queue.changed', queueChanged(51));
    await vi.waitFor(() => expect(frames.length).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(frames).toEqual([Array.from({ length: 51 }, (_, i) => ({ event: 'queue.changed', payload: queueChanged(i + 1) }))]);
    socket.close();
  });

  it('gathers the events of several turns of the event loop into one frame', async () => {
    const { socket, frames } = await rawClient();
    server.emit('queue.changed', queueChanged(1));
    await new Promise((resolve) => setImmediate(resolve));
    server.emit('queue.changed', queueChanged(2));
    await vi.waitFor(() => expect(frames.length).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(frames).toEqual([[1, 2].map((depth) => ({ event: 'queue.changed', payload: queueChanged(depth) }))]);
    socket.close();
  });

  it('sends events emitted before an answer ahead of it', async () => {
    const { socket, frames } = await rawClient();
    socket.send(JSON.stringify({ id: 1, method: 'account.status', input: {} }));
    await vi.waitFor(() => expect(frames).toHaveLength(2));
    expect(frames[0]).toEqual([{ event: 'queue.changed', payload: queueChanged(99) }]);
    expect(frames[1]).toMatchObject({ id: 1, ok: true });
    socket.close();
  });
});

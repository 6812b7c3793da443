import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TunnelState } from '../../shared/ipc/schemas';
import { systemClock } from '../../electron/main/core/platform/node';
import type { Clock, Logger } from '../../electron/main/core/platform/ports';
import { createLocaltunnel, tunnelSubdomain } from '../../electron/main/core/tunnel/localtunnel';
import type { LocaltunnelOptions } from '../../electron/main/core/tunnel/localtunnel';
import { createTunnelSupervisor } from '../../electron/main/core/tunnel/supervisor';
import type { TunnelSupervisor } from '../../electron/main/core/tunnel/supervisor';
import type { LocaltunnelServer } from '../support/localtunnelServer';
import { startLocaltunnelServer } from '../support/localtunnelServer';

// The real thing end to end: the tunnel client and supervisor, a loopback localtunnel server, and a local
// HTTP server standing in for the callback listener.

const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const ACCOUNT = '9900001';

/** The system clock, counting its pending timers so a test can see that none is left behind. */
function countingClock(): Clock & { pending(): number } {
  const live = new Set<object>();
  return {
    now: () => systemClock.now(),
    setTimeout(fn, ms) {
      const token = {};
      const handle = systemClock.setTimeout(() => {
        live.delete(token);
        fn();
      }, ms);
      live.add(token);
      return {
        cancel() {
          live.delete(token);
          handle.cancel();
        },
      };
    },
    pending: () => live.size,
  };
}

/** An HTTP request over a fresh connection (no keep-alive), so nothing outlives it. */
function send(url: string, init: { method?: string; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** TCP connections open in this process (listening servers are not counted). */
const openSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('tunnel through a localtunnel server', () => {
  let server: LocaltunnelServer;
  let local: http.Server;
  let localPort: number;
  let clock: ReturnType<typeof countingClock>;
  const supervisors: TunnelSupervisor[] = [];

  beforeEach(async () => {
    server = await startLocaltunnelServer({ maxConnCount: 2 });
    // Echoes what arrived, so a test sees the request exactly as the callback listener would.
    local = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, url: req.url, sha256: createHash('sha256').update(body).digest('hex') }));
      });
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    localPort = (local.address() as net.AddressInfo).port;
    clock = countingClock();
  });

  afterEach(async () => {
    for (const supervisor of supervisors.splice(0)) supervisor.stop();
    await server.close();
    local.closeAllConnections();
    await new Promise((resolve) => local.close(resolve));
    // Every test ends with no TCP connection left in this process: the tunnel's, the servers' and ours.
    await until(() => openSockets() === 0);
  });

  function supervise(options: Partial<LocaltunnelOptions> = {}, account = ACCOUNT) {
    const states: TunnelState[] = [];
    const urls: string[] = [];
    const supervisor = createTunnelSupervisor({
      tunnel: createLocaltunnel({
        clock,
        host: server.host,
        localPort,
        subdomain: tunnelSubdomain(account, localPort),
        replaceIdleAfterMs: 20,
        ...options,
      }),
      clock,
      logger: silent,
      onState: (state) => states.push(state),
      onPublicUrlChanged: (url) => {
        urls.push(url);
      },
      backoffBaseMs: 20,
      backoffMaxMs: 200,
    });
    supervisors.push(supervisor);
    supervisor.start();
    return { supervisor, states, urls };
  }

  async function online(supervisor: TunnelSupervisor): Promise<string> {
    await until(() => supervisor.state.state === 'online');
    return supervisor.state.publicUrl as string;
  }

  it('carries a request from the public URL to the local server and the answer back, bytes untouched', async () => {
    const { supervisor, urls } = supervise();
    const publicUrl = await online(supervisor);
    expect(urls).toEqual([publicUrl]);
    expect(server.requested).toEqual([tunnelSubdomain(ACCOUNT, localPort)]);

    // Large enough to cross many TCP chunks, with multi-byte characters that chunk borders will split.
    const body = JSON.stringify([{ type: 'message-received', text: 'héllo 😀 '.repeat(40_000) }]);
    const answer = await send(`${publicUrl}/callbacks/messaging?x=1`, { method: 'POST', body });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      method: 'POST',
      url: '/callbacks/messaging?x=1',
      sha256: createHash('sha256').update(body).digest('hex'),
    });
  });

  it('asks for the same subdomain for the same account and port, another for another account', async () => {
    const first = supervise();
    await online(first.supervisor);
    first.supervisor.stop();
    const again = supervise();
    await online(again.supervisor);
    again.supervisor.stop();
    const other = supervise({ subdomain: tunnelSubdomain('9900002', localPort) }, '9900002');
    await online(other.supervisor);
    const [a, b, c] = server.requested;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(again.urls).toEqual(first.urls);
  });

  it('replaces connections the server dropped, staying online under the same registration', async () => {
    const { supervisor, states, urls } = supervise();
    const publicUrl = await online(supervisor);
    await server.waitForSockets(2);
    const before = states.length;
    server.dropSockets();
    await server.waitForSockets(0);
    await server.waitForSockets(2);
    expect((await send(`${publicUrl}/after-drop`)).status).toBe(200);
    expect(states.slice(before)).toEqual([]);
    expect(server.requested).toHaveLength(1);
    expect(urls).toEqual([publicUrl]);
  });

  it('registers again when the server forgets it, and announces the URL only when it changed', async () => {
    const { supervisor, states, urls } = supervise();
    const first = await online(supervisor);

    server.expire();
    await until(() => server.requested.length === 2 && supervisor.state.state === 'online');
    expect(states.map((s) => s.state)).toContain('reconnecting');
    expect(supervisor.state.publicUrl).toBe(first);
    expect(urls).toEqual([first]);

    server.rotateNextId();
    server.expire();
    await until(() => server.requested.length === 3 && supervisor.state.state === 'online');
    const second = supervisor.state.publicUrl as string;
    expect(second).not.toBe(first);
    expect(urls).toEqual([first, second]);
    expect(JSON.parse((await send(`${second}/moved`)).body).url).toBe('/moved');
  });

  it('reports an unreachable server as an error and keeps retrying', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const host = `http://127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));

    const { supervisor, states } = supervise({ host });
    await until(() => states.filter((s) => s.state === 'error').length >= 2);
    expect(supervisor.state.publicUrl).toBeNull();
    expect(states.find((s) => s.state === 'error')?.error).toMatch(
      new RegExp(`^Could not reach the tunnel server ${host}: .*ECONNREFUSED`),
    );
  });

  it('reports a 5xx answer with the server message, retries, and comes online once the server recovers', async () => {
    server.respondWith(500);
    const { supervisor, states } = supervise();
    await until(() => server.requested.length >= 2);
    expect(states.find((s) => s.state === 'error')?.error).toBe(`The tunnel server ${server.host} answered 500: test server answers 500`);
    server.respondWith('ok');
    await online(supervisor);
  });

  it('times out when the server never answers', async () => {
    server.respondWith('hang');
    const { states } = supervise({ connectTimeoutMs: 100 });
    await until(() => states.some((s) => s.state === 'error'));
    expect(states.find((s) => s.state === 'error')?.error).toBe(`No tunnel: ${server.host} did not answer within 0.1 s`);
  });

  it('stop() leaves no socket and no timer behind, online or mid-attempt', async () => {
    const { supervisor } = supervise();
    const publicUrl = await online(supervisor);
    expect((await send(`${publicUrl}/x`)).status).toBe(200);
    await server.waitForSockets(2);
    supervisor.stop();
    await server.waitForSockets(0);
    await until(() => openSockets() === 0);
    expect(clock.pending()).toBe(0);

    server.respondWith('hang');
    const waiting = supervise();
    await until(() => server.requested.length === 2);
    waiting.supervisor.stop();
    await until(() => openSockets() === 0);
    expect(clock.pending()).toBe(0);
    expect(waiting.supervisor.state.state).toBe('off');
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../tests/support/fakeClock';
import type { LocaltunnelServer } from '../../../../tests/support/localtunnelServer';
import { startLocaltunnelServer } from '../../../../tests/support/localtunnelServer';
import { createLocaltunnel, tunnelSubdomain } from './localtunnel';

// localtunnel's own rule for a subdomain it accepts.
const LOCALTUNNEL_SUBDOMAIN = /^(?:[a-z0-9][a-z0-9-]{4,63}[a-z0-9]|[a-z0-9]{4,63})$/;

describe('tunnelSubdomain', () => {
  it('is stable for an account and port, differs between them, and is valid for localtunnel', () => {
    const a = tunnelSubdomain('9900001', 47300);
    expect(tunnelSubdomain('9900001', 47300)).toBe(a);
    expect(tunnelSubdomain('9900002', 47300)).not.toBe(a);
    expect(tunnelSubdomain('9900001', 47301)).not.toBe(a);
    expect(a).toMatch(/^sb-/);
    expect(a).toMatch(LOCALTUNNEL_SUBDOMAIN);
    expect(a.length).toBeLessThanOrEqual(63);
  });
});

describe('createLocaltunnel.open', () => {
  let server: LocaltunnelServer | undefined;
  let other: http.Server | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    if (other) await new Promise((resolve) => other?.close(resolve));
    other = undefined;
  });

  it('gives up after its timeout when the server never answers, leaving no timer', async () => {
    server = await startLocaltunnelServer();
    server.respondWith('hang');
    const clock = new FakeClock();
    const opening = createLocaltunnel({ clock, host: server.host, localPort: 1, connectTimeoutMs: 10_000 }).open();
    const outcome = opening.then(
      () => 'opened',
      (error: Error) => error.message,
    );
    await waitFor(() => server?.requested.length === 1);
    clock.advance(9_999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await Promise.race([outcome, 'pending'])).toBe('pending');
    clock.advance(1);
    expect(await outcome).toBe(`No tunnel: ${server.host} did not answer within 10 s`);
    expect(clock.pending()).toEqual([]);
  });

  it('rejects at once when its signal aborts', async () => {
    server = await startLocaltunnelServer();
    server.respondWith('hang');
    const clock = new FakeClock();
    const abort = new AbortController();
    const opening = createLocaltunnel({ clock, host: server.host, localPort: 1 }).open(abort.signal);
    await waitFor(() => server?.requested.length === 1);
    abort.abort();
    await expect(opening).rejects.toThrow('Tunnel connection cancelled');
    expect(clock.pending()).toEqual([]);
  });

  it('explains a registration answer that is not localtunnel JSON', async () => {
    other = http.createServer((_req, res) => res.end(JSON.stringify({ id: 'x', url: 'ftp://nope' })));
    await new Promise<void>((resolve) => other?.listen(0, '127.0.0.1', resolve));
    const host = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const opening = createLocaltunnel({ clock: new FakeClock(), host, localPort: 1 }).open();
    await expect(opening).rejects.toThrow(/unexpected registration.*port.*url/s);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

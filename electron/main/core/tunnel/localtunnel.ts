import { createHash } from 'node:crypto';
import net from 'node:net';
import { request } from 'undici';
import { z } from 'zod';
import { parse } from '../../../../shared/ipc/errors';
import type { Clock } from '../platform/ports';
import type { Tunnel, TunnelSession } from './tunnel';

/*
 * A client of the localtunnel protocol (the one @n8n/localtunnel and localtunnel 2.x speak):
 *   1. `GET {host}/{subdomain}` (or `GET {host}/?new`) → 200 `{id, port, max_conn_count, url, ip?}`;
 *   2. open `max_conn_count` TCP connections to `ip || hostname(host)`:`port` and keep them open;
 *   3. the server writes a raw HTTP request on one of them; pipe it to the local listener and the answer back.
 * We speak it ourselves instead of using the package, whose source (lib/Tunnel.js, lib/TunnelCluster.js)
 * has three faults that matter here:
 *   - registration retries every second forever on any network error or non-2xx, and close() does not stop
 *     that loop, so each timed-out attempt would leak a timer and requests for the life of the app;
 *   - asking for a `local_host` (needed to reach our 127.0.0.1 listener) rewrites the Host header with
 *     `chunk.toString()`, which corrupts a UTF-8 character split across TCP chunks in a callback body;
 *   - a tunnel connection that fails to connect with anything but ECONNREFUSED is dropped silently.
 */

export const DEFAULT_TUNNEL_HOST = 'https://localtunnel.me';

export interface LocaltunnelOptions {
  clock: Clock;
  /** Where requests arriving through the tunnel go: our callback listener. */
  localPort: number;
  localHost?: string;
  /** The localtunnel server. */
  host?: string;
  /** Asked for, not guaranteed: the server hands out another when it is taken (the URL then changes). */
  subdomain?: string;
  /** Registration plus the first tunnel connection must succeed within this time. */
  connectTimeoutMs?: number;
  /** Delay before replacing a tunnel connection the server closed before it carried a request. */
  replaceIdleAfterMs?: number;
}

/** The server's max_conn_count is capped: each connection is a socket on our side. */
const MAX_CONNECTIONS = 10;

const registrationSchema = z.object({
  id: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  max_conn_count: z.number().int().min(1).optional(),
  url: z.url({ protocol: /^https?$/ }),
  ip: z.string().min(1).optional(),
});
type Registration = z.infer<typeof registrationSchema>;

/**
 * A stable subdomain for an account and an installation (something that stays the same across restarts and
 * differs between two apps on one account), so the public URL (and the callback URLs configured in Bandwidth)
 * survive restarts: `sb-` and 12 hex digits of a hash, valid for localtunnel (4–63 chars, lowercase letters,
 * digits, inner dashes).
 */
export function tunnelSubdomain(accountId: string, installation: string | number): string {
  return `sb-${createHash('sha256').update(`${accountId}:${installation}`).digest('hex').slice(0, 12)}`;
}

export function createLocaltunnel(options: LocaltunnelOptions): Tunnel {
  const host = (options.host ?? DEFAULT_TUNNEL_HOST).replace(/\/+$/, '');
  const timeoutMs = options.connectTimeoutMs ?? 15_000;
  const local = { host: options.localHost ?? '127.0.0.1', port: options.localPort };
  // Throws here, at configuration, for a malformed host.
  const hostname = new URL(host).hostname.replace(/^\[|\]$/g, '');
  return {
    open(signal) {
      return new Promise<TunnelSession>((resolve, reject) => {
        const registering = new AbortController();
        let session: LocaltunnelSession | undefined;
        let settled = false;
        const settle = () => {
          if (settled) return false;
          settled = true;
          timer.cancel();
          signal?.removeEventListener('abort', onAbort);
          return true;
        };
        const fail = (error: Error) => {
          if (!settle()) return;
          registering.abort();
          session?.close();
          reject(error);
        };
        const onAbort = () => fail(new Error('Tunnel connection cancelled'));
        const timer = options.clock.setTimeout(
          () => fail(new Error(`No tunnel: ${host} did not answer within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });

        register(host, options.subdomain, registering.signal).then((registration) => {
          if (settled) return;
          const opened = new LocaltunnelSession(
            {
              label: host,
              publicUrl: registration.url,
              remote: { host: registration.ip ?? hostname, port: registration.port },
              local,
              connections: Math.min(registration.max_conn_count ?? 1, MAX_CONNECTIONS),
              clock: options.clock,
              replaceIdleAfterMs: options.replaceIdleAfterMs ?? 1000,
            },
            () => settle() && resolve(opened),
          );
          session = opened;
          opened.onDown(fail);
        }, fail);
      });
    },
  };
}

async function register(host: string, subdomain: string | undefined, signal: AbortSignal): Promise<Registration> {
  let status: number;
  let text: string;
  try {
    // reset: no keep-alive, so nothing of the registration outlives it.
    const res = await request(`${host}/${subdomain ?? '?new'}`, { signal, reset: true, headers: { accept: 'application/json' } });
    status = res.statusCode;
    text = await res.body.text();
  } catch (error) {
    throw new Error(`Could not reach the tunnel server ${host}: ${(error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status !== 200) {
    const message = (body as { message?: unknown } | undefined)?.message;
    throw new Error(`The tunnel server ${host} answered ${status}${typeof message === 'string' ? `: ${message}` : ''}`);
  }
  return parse(registrationSchema, body, `The tunnel server ${host} answered an unexpected registration`);
}

interface SessionConfig {
  /** The server, for messages. */
  label: string;
  publicUrl: string;
  remote: { host: string; port: number };
  local: { host: string; port: number };
  connections: number;
  clock: Clock;
  replaceIdleAfterMs: number;
}

class LocaltunnelSession implements TunnelSession {
  readonly publicUrl: string;
  private readonly sockets = new Set<net.Socket>();
  private readonly timers = new Set<{ cancel(): void }>();
  private readonly downListeners: ((error: Error) => void)[] = [];
  private closed = false;

  constructor(
    private readonly config: SessionConfig,
    private readonly onConnected: () => void,
  ) {
    this.publicUrl = config.publicUrl;
    for (let i = 0; i < config.connections; i++) this.connect();
  }

  onDown(listener: (error: Error) => void): void {
    this.downListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
  }

  private down(error: Error): void {
    if (this.closed) return;
    this.close();
    for (const listener of this.downListeners) listener(error);
  }

  private connect(): void {
    if (this.closed) return;
    const remote = net.connect(this.config.remote);
    this.sockets.add(remote);
    remote.setKeepAlive(true);
    let connected = false;
    let carried = false;
    let failure: Error | undefined;
    remote.on('error', (error) => {
      failure = error;
    });
    remote.once('connect', () => {
      connected = true;
      this.onConnected();
    });
    remote.once('data', (first: Buffer) => {
      carried = true;
      this.forward(remote, first);
    });
    remote.once('close', () => {
      this.sockets.delete(remote);
      if (this.closed) return;
      if (!connected) {
        // The server is gone or has forgotten us (it closes a client's port): register again.
        this.down(new Error(`Tunnel connection to ${this.config.label} failed: ${failure?.message ?? 'closed before connecting'}`));
      } else if (carried) {
        this.connect();
      } else {
        // Closed while idle (server restart, or too many connections): wait a little so this cannot spin.
        const timer = this.config.clock.setTimeout(() => {
          this.timers.delete(timer);
          this.connect();
        }, this.config.replaceIdleAfterMs);
        this.timers.add(timer);
      }
    });
  }

  /** One request arrived on `remote`: open a connection to the listener and pipe both ways, bytes untouched. */
  private forward(remote: net.Socket, first: Buffer): void {
    remote.pause();
    const local = net.connect(this.config.local);
    this.sockets.add(local);
    local.once('connect', () => {
      local.write(first);
      remote.pipe(local).pipe(remote);
    });
    // The listener refused or reset: this request fails (Bandwidth retries callbacks) and the tunnel
    // connection is replaced once closed.
    local.on('error', () => remote.destroy());
    local.once('close', () => this.sockets.delete(local));
    remote.once('close', () => local.destroy());
  }
}

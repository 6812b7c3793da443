import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../platform/ports';
import type { ParsedCallback } from './schema';
import { parseCallbackBody } from './schema';

export interface CallbackCredentials {
  username: string;
  password: string;
}

export interface CallbackServerOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  credentials: CallbackCredentials;
  /** The durable, idempotent write. The answer is 2xx only once this resolves; a rejection gives 500 and Bandwidth retries. */
  ingest: (events: ParsedCallback[]) => Promise<void>;
  maxBodyBytes?: number;
  logger?: Logger;
}

export interface CallbackServer {
  /** The callback URL for both inbound and status events (the app's `callbackUrl`). */
  readonly url: string;
  readonly port: number;
  /** Later requests are checked against these (e.g. after the user changes them). */
  setCredentials(credentials: CallbackCredentials): void;
  close(): Promise<void>;
}

export const CALLBACK_PATH = '/callbacks/bandwidth';
/** The inbound and status URLs may also be kept apart in the application; both land in the same place. */
const PATHS = new Set([CALLBACK_PATH, `${CALLBACK_PATH}/inbound`, `${CALLBACK_PATH}/status`]);
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

// One-shot: a Hash object per request cost twice as much.
const digest = (value: string) => hash('sha256', value, 'buffer');

/**
 * The Bandwidth callback listener (REFERENCE.md §6): challenge-first Basic auth, body cap, JSON + schema checks per
 * event, then ingest of the usable events; events of types it does not handle are skipped.
 */
export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Compare fixed-length digests so neither the content nor the length of the secret leaks through timing.
  let expected = digest(`${options.credentials.username}:${options.credentials.password}`);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger?.error('callback handling failed', { error: (error as Error).message });
      if (!res.headersSent) reply(res, 500, 'Internal error');
      else res.destroy();
    });
  });
  // Bandwidth waits 10 s for an answer; a client that trickles a body longer than this is cut off.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  function authorized(header: string | undefined): boolean {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!match) return false;
    return timingSafeEqual(digest(Buffer.from(match[1] as string, 'base64').toString('utf8')), expected);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Bandwidth posts to the URL as configured: parsed only when it is not one of ours as it stands.
    if (!PATHS.has(req.url ?? '') && !PATHS.has(new URL(req.url ?? '/', 'http://localhost').pathname)) return reply(res, 404, 'Not found');
    if (req.method !== 'POST') return reply(res, 405, 'Only POST', { Allow: 'POST' });
    // Bandwidth first posts without credentials and sends them only after this challenge (REFERENCE.md §6).
    if (!authorized(req.headers.authorization)) return reply(res, 401, 'Unauthorized', { 'WWW-Authenticate': 'Basic realm="Switchboard"' });
    if (!/^application\/json\s*(;.*)?$/i.test(req.headers['content-type'] ?? '')) return reply(res, 415, 'Content-Type must be application/json');
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return tooLarge(req, res);

    const body = await readCapped(req, maxBodyBytes);
    if (body === null) return tooLarge(req, res);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return reply(res, 400, `Invalid JSON: ${(error as Error).message}`);
    }
    const { events, skipped, issues } = parseCallbackBody(json);
    if (skipped.length > 0) options.logger?.warn('callback events of types Switchboard does not handle were skipped', { types: skipped });
    if (events.length > 0) {
      try {
        await options.ingest(events);
      } catch (error) {
        options.logger?.error('callback ingest failed', { error: (error as Error).message });
        return reply(res, 500, 'Could not store the event');
      }
    }
    if (issues.length > 0) {
      // A retry of this body can never succeed, so its valid events were stored above (or they would be dropped
      // after Bandwidth's 24 h of retries). The answer is still 400, so the refused event shows as failed in
      // Bandwidth's delivery logs; the retries that follow are harmless, as stored events are de-duplicated.
      options.logger?.warn('callback refused', { issues: issues.join('; ') });
      return reply(res, 400, `Invalid callback: ${issues.join('; ')}`);
    }
    // No Content-Type or Content-Length: a 204 has no body (RFC 9110 §8.6 forbids the length on it).
    res.writeHead(204).end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    port,
    setCredentials(credentials) {
      expected = digest(`${credentials.username}:${credentials.password}`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function reply(res: ServerResponse, status: number, text = '', headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** Reads the body, stopping as soon as it passes the cap (null then): an oversized body is never held in memory. */
function readCapped(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.off('end', onEnd);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/** 413, then the connection is closed: the rest of the body is discarded unread, and not for long. */
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  reply(res, 413, 'Body too large', { Connection: 'close' });
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), 2000);
  req.socket.once('close', () => clearTimeout(timer));
}

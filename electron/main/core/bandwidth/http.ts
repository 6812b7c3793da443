import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { Pool } from 'undici';
import type { Clock } from '../platform/ports';
import { BandwidthError, networkFailure, rejectedFailure } from './errors';

export interface HttpOptions {
  /** Sockets per origin. The send queue may push thousands of requests a second; the client must not be the bottleneck. */
  connections?: number;
  connectTimeoutMs?: number;
  /** Time allowed for the answer's headers; then for each gap in its body. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

/** A body a request can be sent with more than once (a 401 is retried): bytes, or a factory of fresh streams. */
export type RequestBody = string | Uint8Array | (() => Readable);

export interface HttpRequest {
  method: Dispatcher.HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: RequestBody;
}

export type HttpResponse = Dispatcher.ResponseData;

/** One undici Pool per origin (keep-alive sockets, bounded concurrency), created on first use. */
export class HttpPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: HttpOptions = {}) {}

  request(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const body = typeof req.body === 'function' ? req.body() : req.body;
    return this.pool(url.origin).request({ method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers, body });
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.options.connections ?? 64,
        connect: { timeout: this.options.connectTimeoutMs ?? 10_000 },
        headersTimeout: this.options.headersTimeoutMs ?? 30_000,
        bodyTimeout: this.options.bodyTimeoutMs ?? 30_000,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

/** Gives the Authorization header for Bandwidth calls (OAuth2 bearer token or legacy Basic). */
export interface Authorizer {
  header(): Promise<string>;
  /** After a 401 with `rejected`: a fresh header to retry once with, or null when a retry cannot help. */
  refresh(rejected: string): Promise<string | null>;
}

/** Authorized requests: adds the header, retries a 401 once with refreshed credentials, turns socket errors into BandwidthError. */
export class AuthorizedHttp {
  constructor(
    readonly pools: HttpPools,
    private readonly auth: Authorizer,
    readonly clock: Pick<Clock, 'now' | 'setTimeout'>,
  ) {}

  async send(req: HttpRequest, what: string): Promise<HttpResponse> {
    let authorization = await this.auth.header();
    let res = await this.attempt(req, authorization, what);
    if (res.statusCode === 401) {
      const fresh = await this.auth.refresh(authorization);
      if (fresh) {
        await res.body.dump();
        authorization = fresh;
        res = await this.attempt(req, authorization, what);
      }
    }
    return res;
  }

  /** Throws a BandwidthError for any non-2xx answer, after reading its error body. */
  async expectOk(res: HttpResponse, what: string): Promise<HttpResponse> {
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    const text = await res.body.text().catch(() => '');
    throw new BandwidthError(rejectedFailure(res.statusCode, res.headers, text, this.clock.now()), what);
  }

  private async attempt(req: HttpRequest, authorization: string, what: string): Promise<HttpResponse> {
    try {
      return await this.pools.request({ ...req, headers: { ...req.headers, authorization } });
    } catch (error) {
      throw new BandwidthError(networkFailure(error, new URL(req.url).host), what);
    }
  }
}

import type { IncomingHttpHeaders } from 'node:http';
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

/** A response read whole, for the small JSON answers of the send loop. */
export interface TextResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One undici Pool per origin (keep-alive sockets, bounded concurrency), created on first use. */
export class HttpPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: HttpOptions = {}) {}

  request(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const body = typeof req.body === 'function' ? req.body() : req.body;
    return this.pool(url.origin).request({ method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers, body });
  }

  /**
   * request() with the answer read whole into a string: no body stream (and async resource) per response, which the
   * send loop would otherwise pay thousands of times a second.
   */
  requestText(req: HttpRequest): Promise<TextResponse> {
    const url = new URL(req.url);
    const body = typeof req.body === 'function' ? req.body() : req.body;
    return new Promise((resolve, reject) => {
      let statusCode = 0;
      let headers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      const handler: Dispatcher.DispatchHandler = {
        // undici takes a handler without onRequestStart for one of its older (deprecated) shape.
        onRequestStart() {},
        onResponseStart(_controller, status, responseHeaders) {
          // 1xx answers are interim: the real one follows.
          if (status < 200) return;
          statusCode = status;
          headers = responseHeaders;
        },
        onResponseData: (_controller, chunk) => chunks.push(chunk),
        onResponseEnd: () => resolve({ statusCode, headers, text: Buffer.concat(chunks).toString('utf8') }),
        onResponseError: (_controller, error) => reject(error),
      };
      this.pool(url.origin).dispatch({ method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers, body }, handler);
    });
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

  send(req: HttpRequest, what: string): Promise<HttpResponse> {
    return this.authorized(req, what, (r) => this.pools.request(r), (res) => res.body.dump());
  }

  /** send() with the answer read whole (see HttpPools.requestText). */
  sendText(req: HttpRequest, what: string): Promise<TextResponse> {
    return this.authorized(req, what, (r) => this.pools.requestText(r), () => {});
  }

  /** Throws a BandwidthError for any non-2xx answer, after reading its error body. */
  async expectOk(res: HttpResponse, what: string): Promise<HttpResponse> {
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    const text = await res.body.text().catch(() => '');
    throw new BandwidthError(rejectedFailure(res.statusCode, res.headers, text, this.clock.now()), what);
  }

  /** Issues `req` with the Authorization header; a 401 is retried once with refreshed credentials (`discard` drops its answer). */
  private async authorized<R extends { statusCode: number }>(
    req: HttpRequest,
    what: string,
    issue: (req: HttpRequest) => Promise<R>,
    discard: (res: R) => Promise<void> | void,
  ): Promise<R> {
    let authorization = await this.auth.header();
    let res = await this.attempt(req, authorization, what, issue);
    if (res.statusCode === 401) {
      const fresh = await this.auth.refresh(authorization);
      if (fresh) {
        await discard(res);
        authorization = fresh;
        res = await this.attempt(req, authorization, what, issue);
      }
    }
    return res;
  }

  private async attempt<R>(req: HttpRequest, authorization: string, what: string, issue: (req: HttpRequest) => Promise<R>): Promise<R> {
    try {
      return await issue({ ...req, headers: { ...req.headers, authorization } });
    } catch (error) {
      throw new BandwidthError(networkFailure(error, new URL(req.url).host), what);
    }
  }
}

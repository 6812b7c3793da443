import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { AccountConfig } from './account';
import { BANDWIDTH_DEFAULTS } from './account';
import type { BandwidthFailure } from './errors';
import { BandwidthError, rejectedFailure } from './errors';
import type { AuthorizedHttp, RequestBody } from './http';
import { bandwidthTime, toBandwidthTime } from './time';


/**
 * The 202 answer to a send (REFERENCE.md §2.1), of which only `id` is read: it is all that tracking the message needs,
 * and the send loop reads thousands of answers a second (the rest, with its date, was parsed each time for nothing).
 */
const acceptedMessage = z.object({ id: z.string().min(1) });
export type AcceptedMessage = z.infer<typeof acceptedMessage>;

export interface SendMessageInput {
  from: string;
  to: string[];
  text?: string;
  /** Media URLs, e.g. what `uploadMedia` returned. */
  media?: string[];
  tag?: string;
  priority?: 'default' | 'high';
  /** RFC-3339, in the future. */
  expiration?: string;
}

export type SendResult = { kind: 'accepted'; message: AcceptedMessage } | BandwidthFailure;

const nullableString = z.string().nullish().transform((v) => v ?? null);
const nullableInt = z.number().int().nullish().transform((v) => v ?? null);

/** One row of GET /messages (REFERENCE.md §2.2). Nothing but the id is guaranteed; there is never any text. */
const listedMessage = z.object({
  messageId: z.string().min(1),
  accountId: nullableString,
  sourceTn: nullableString,
  destinationTn: nullableString,
  messageStatus: nullableString,
  messageDirection: nullableString,
  messageType: nullableString,
  segmentCount: nullableInt,
  errorCode: nullableInt,
  receiveTime: bandwidthTime.nullish().transform((v) => v ?? null),
  carrierName: nullableString,
});
export type ListedMessage = z.infer<typeof listedMessage>;

const messagesList = z.object({
  totalCount: z.number().int().nullish(),
  pageInfo: z.object({ nextPageToken: nullableString, prevPageToken: nullableString }).partial().nullish(),
  messages: z.array(listedMessage).default([]),
});

export interface ListMessagesQuery {
  messageId?: string;
  sourceTn?: string;
  destinationTn?: string;
  messageStatus?: string;
  messageDirection?: 'INBOUND' | 'OUTBOUND';
  /** Epoch ms; sent with millisecond precision as the API requires. */
  fromDateTime?: number;
  toDateTime?: number;
  pageToken?: string;
  limit?: number;
  sort?: string;
}

export interface ListMessagesPage {
  totalCount: number | null;
  messages: ListedMessage[];
  nextPageToken: string | null;
  prevPageToken: string | null;
}

export interface UploadOptions {
  /** Called with the running total of body bytes handed to the connection. */
  onProgress?: (bytesWritten: number) => void;
  /** Content-Length of a streamed body, when known. */
  size?: number;
}

export interface DownloadResult {
  bytes: number;
  contentType: string | null;
  sha256: string;
}

export interface MessagingClientOptions {
  /** Attempts of a list call answered 429 (Retry-After is honoured between them). */
  listAttempts?: number;
  /** A Retry-After longer than this is not waited for: the call fails with the wait in `retryAfterMs`. */
  maxRetryWaitMs?: number;
  /** Default size cap of a media download. */
  maxDownloadBytes?: number;
}

const UPLOAD_CHUNK = 64 * 1024;

/** Bytes as chunks, so the progress callback moves while a large file goes out. */
async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += UPLOAD_CHUNK) yield bytes.subarray(at, at + UPLOAD_CHUNK);
}

function withProgress(source: () => AsyncIterable<Uint8Array>, onProgress: (bytes: number) => void): () => Readable {
  return () =>
    Readable.from(
      (async function* counted() {
        let written = 0;
        for await (const chunk of source()) {
          yield chunk;
          // The generator resumes only when the connection pulls the next chunk: this one has been taken.
          written += chunk.length;
          onProgress(written);
        }
      })(),
    );
}

/** Bandwidth's own messaging API, with a trailing slash so a prefix match stops at a path segment. */
const BANDWIDTH_API = new URL(`${BANDWIDTH_DEFAULTS.baseUrl}/`);

const mediaPath = (mediaId: string) => mediaId.split('/').map(encodeURIComponent).join('/');

export type MessagingClient = ReturnType<typeof createMessagingClient>;

/** The messaging API v2 (REFERENCE.md §2): sends, the message list and media. */
export function createMessagingClient(account: AccountConfig, http: AuthorizedHttp, options: MessagingClientOptions = {}) {
  const userUrl = `${account.baseUrl}/users/${encodeURIComponent(account.accountId)}`;
  const messagingOrigin = new URL(account.baseUrl).origin;
  const listAttempts = options.listAttempts ?? 3;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
  const sleep = (ms: number) => new Promise<void>((resolve) => http.clock.setTimeout(resolve, ms));

  /** POST /messages. Never throws for a Bandwidth or network failure: the queue needs the classification. */
  async function sendMessage(input: SendMessageInput): Promise<SendResult> {
    const what = 'Sending a message';
    const body = JSON.stringify({ applicationId: account.applicationId, ...input });
    try {
      const { statusCode, headers, text } = await http.sendText({ method: 'POST', url: `${userUrl}/messages`, headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' }, body }, what);
      if (statusCode >= 300) return rejectedFailure(statusCode, headers, text, http.clock.now());
      const parsed = acceptedMessage.safeParse(safeJson(text));
      if (parsed.success) return { kind: 'accepted', message: parsed.data };
      // Bandwidth took the message but its answer is unreadable: the outcome must be settled from the message list.
      return { kind: 'network', code: 'BAD_RESPONSE', description: `Bandwidth accepted the send (HTTP ${statusCode}) but its answer could not be read.`, retryable: true, maybeSent: true };
    } catch (error) {
      if (error instanceof BandwidthError) return error.failure;
      throw error;
    }
  }

  /** GET /messages: one page. Waits out a 429's Retry-After (up to `maxRetryWaitMs`) and tries again. */
  async function listMessages(query: ListMessagesQuery): Promise<ListMessagesPage> {
    const what = 'Listing messages';
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      params.set(key, key === 'fromDateTime' || key === 'toDateTime' ? toBandwidthTime(value as number) : String(value));
    }
    const url = `${userUrl}/messages?${params}`;
    for (let attempt = 1; ; attempt += 1) {
      const res = await http.send({ method: 'GET', url, headers: { accept: 'application/json' } }, what);
      if (res.statusCode === 429 && attempt < listAttempts) {
        const wait = rejectedFailure(429, res.headers, '', http.clock.now()).retryAfterMs ?? 1000;
        if (wait <= maxRetryWaitMs) {
          await res.body.dump();
          await sleep(wait);
          continue;
        }
      }
      await http.expectOk(res, what);
      const parsed = messagesList.safeParse(safeJson(await res.body.text()));
      if (!parsed.success) {
        throw new BandwidthError({ kind: 'rejected', status: res.statusCode, type: 'bad-response', description: `The message list could not be read (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`, fieldErrors: [], retryable: true, retryAfterMs: null }, what);
      }
      const { totalCount, pageInfo, messages } = parsed.data;
      return { totalCount: totalCount ?? null, messages, nextPageToken: pageInfo?.nextPageToken ?? null, prevPageToken: pageInfo?.prevPageToken ?? null };
    }
  }

  /** PUT /media/{mediaId}; returns the URL a send references. A stream body is given as a factory so a 401 can be retried. */
  async function uploadMedia(mediaId: string, body: Uint8Array | (() => Readable), contentType: string, opts: UploadOptions = {}): Promise<{ url: string }> {
    const what = `Uploading ${mediaId}`;
    const url = `${userUrl}/media/${mediaPath(mediaId)}`;
    const size = body instanceof Uint8Array ? body.length : opts.size;
    let payload: RequestBody = body;
    if (opts.onProgress) payload = withProgress(body instanceof Uint8Array ? () => chunksOf(body) : body, opts.onProgress);
    const headers: Record<string, string> = { 'content-type': contentType };
    if (size !== undefined) headers['content-length'] = String(size);
    const res = await http.expectOk(await http.send({ method: 'PUT', url, headers, body: payload }, what), what);
    await res.body.dump();
    return { url };
  }

  /**
   * Where a media URL is fetched: as given when it is on the configured messaging host; through the configured base
   * when it is on Bandwidth's own messaging API (inbound media names Bandwidth's host even when the account goes through
   * a proxy); null for anything else.
   */
  function mediaFetchUrl(url: string): string | null {
    if (!URL.canParse(url)) return null;
    // Compared parsed (dot segments resolved), so "https://messaging.bandwidth.com.evil.example/…", userinfo tricks
    // and "/api/v2/../elsewhere" never match.
    const { origin, pathname, search } = new URL(url);
    if (origin === messagingOrigin) return url;
    const onBandwidth = origin === BANDWIDTH_API.origin && pathname.startsWith(BANDWIDTH_API.pathname);
    return onBandwidth ? `${account.baseUrl}/${pathname.slice(BANDWIDTH_API.pathname.length)}${search}` : null;
  }

  /**
   * GET a media URL with the account's credentials, streamed to `destPath` (removed again on any failure).
   * Only the configured messaging host is ever asked: the credentials must never go anywhere else.
   */
  async function downloadMedia(url: string, destPath: string, maxBytes = options.maxDownloadBytes ?? 10 * 1024 * 1024): Promise<DownloadResult> {
    const what = 'Downloading media';
    const fetchUrl = mediaFetchUrl(url);
    if (!fetchUrl) {
      throw new BandwidthError({ kind: 'rejected', status: 0, type: 'foreign-url', description: `${url} is neither on the messaging host ${messagingOrigin} nor on Bandwidth's messaging API; it is not fetched with the account's credentials`, fieldErrors: [], retryable: false, retryAfterMs: null }, what);
    }
    const res = await http.expectOk(await http.send({ method: 'GET', url: fetchUrl }, what), what);
    const tooLarge = (): never => {
      throw new BandwidthError({ kind: 'rejected', status: res.statusCode, type: 'too-large', description: `The file is larger than ${maxBytes} bytes`, fieldErrors: [], retryable: false, retryAfterMs: null }, what);
    };
    if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
      res.body.destroy();
      tooLarge();
    }
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) return done(new Error('too large'));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(res.body, meter, createWriteStream(destPath));
    } catch (error) {
      await rm(destPath, { force: true });
      if (bytes > maxBytes) tooLarge();
      throw new BandwidthError({ kind: 'network', code: String((error as { code?: unknown }).code ?? 'DOWNLOAD_FAILED'), description: `The download broke off: ${(error as Error).message}`, retryable: true, maybeSent: true }, what);
    }
    const type = res.headers['content-type'];
    return { bytes, contentType: typeof type === 'string' ? type : null, sha256: hash.digest('hex') };
  }

  /** DELETE /media/{mediaId}; a file that is already gone counts as deleted. */
  async function deleteMedia(mediaId: string): Promise<void> {
    const what = `Deleting ${mediaId}`;
    const res = await http.send({ method: 'DELETE', url: `${userUrl}/media/${mediaPath(mediaId)}` }, what);
    if (res.statusCode === 404) return void (await res.body.dump());
    await (await http.expectOk(res, what)).body.dump();
  }

  return { sendMessage, listMessages, uploadMedia, downloadMedia, deleteMedia };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

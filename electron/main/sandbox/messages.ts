/**
 * POST and GET /users/{accountId}/messages (REFERENCE.md §2.1, §2.2; the spec's messageRequest, message and
 * messagesList schemas). A send is validated, counted in segments, admitted to the rate-limited queue and
 * answered 202; its outcome then arrives only by callbacks. The list returns metadata, never text.
 */
import { E164_FORM } from '../../../shared/ipc/schemas';
import { toE164 } from '../../../shared/domain/phone';
import { countSegments } from '../../../shared/domain/segments';
import type { CallbackDispatcher } from './callbacks';
import type { FieldError, Request, Response } from './http';
import { bwError, isJsonContentType, json } from './http';
import { messageId } from './ids';
import { isMms, messageJson, scheduleOutbound } from './lifecycle';
import { ownMediaSize } from './media';
import type { Context, ListStatus, OwnedNumber, StoredMessage } from './model';
import { findOwned, isoTime, messagingBase } from './model';
import type { Outcome } from './outcomes';
import { outcomeFor } from './outcomes';
import type { RateLimiter } from './rateLimiter';

const MAX_GROUP = 10;
/** "The sum of limit and after cannot be more than 10000" (spec `limit`). */
const MAX_RESULTS = 10_000;
const TOLL_FREE_MMS_BYTES = 525 * 1024;
const LOCAL_MMS_BYTES = 3.75 * 1024 * 1024;
const LIST_STATUSES: ListStatus[] = ['RECEIVED', 'QUEUED', 'SENDING', 'SENT', 'FAILED', 'DELIVERED', 'ACCEPTED', 'UNDELIVERED'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

interface SendRequest {
  applicationId: string;
  to: string[];
  from: OwnedNumber;
  text: string;
  media: string[];
  tag?: string;
  priority: 'default' | 'high';
  expiration?: string;
}

function validate(ctx: Context, body: unknown): { ok: true; value: SendRequest } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (fieldName: string, description: string) => errors.push({ fieldName, description });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, errors: [{ fieldName: 'body', description: 'The request body must be a JSON object' }] };
  const b = body as Record<string, unknown>;

  if (typeof b.applicationId !== 'string' || !b.applicationId) fail('applicationId', 'applicationId is required');
  else if (!ctx.applications.has(b.applicationId)) fail('applicationId', `'${b.applicationId}' is not a messaging application on this account`);

  // The spec says an array; older docs also allow a bare string (REFERENCE.md §2.1): accept both.
  const to = typeof b.to === 'string' ? [b.to] : b.to;
  if (!Array.isArray(to) || to.length === 0) fail('to', 'to must contain at least one recipient');
  else {
    for (const item of to) if (typeof item !== 'string' || !E164_FORM.test(item)) fail('to', `'${String(item)}' must be replaced with a valid E164 formatted telephone number`);
    if (new Set(to).size !== to.length) fail('to', 'to must not contain duplicate numbers');
    if (to.length > MAX_GROUP) fail('to', `A group message can have at most ${MAX_GROUP} recipients; ${to.length} were given`);
  }

  let from: OwnedNumber | undefined;
  if (typeof b.from !== 'string' || !b.from) fail('from', 'from is required');
  else if (!E164_FORM.test(b.from)) fail('from', `'${b.from}' must be replaced with a valid E164 formatted telephone number`);
  else if (!(from = findOwned(ctx, b.from))) fail('from', `'${b.from}' is not a Bandwidth number on this account`);
  else if (Array.isArray(to) && to.length > 1 && from.class === 'toll-free') fail('to', 'Group messaging is not available for toll-free numbers');

  if (b.text !== undefined && typeof b.text !== 'string') fail('text', 'text must be a string');
  else if (typeof b.text === 'string' && b.text.length > 2048) fail('text', `text is ${b.text.length} characters; the limit is 2048`);
  if (b.media !== undefined) {
    if (!Array.isArray(b.media)) fail('media', 'media must be an array of URLs');
    else for (const url of b.media) if (typeof url !== 'string' || url.length > 4096 || !/^https?:\/\/\S+$/i.test(url)) fail('media', `'${String(url).slice(0, 100)}' is not a valid media URL`);
  }
  const text = typeof b.text === 'string' ? b.text : '';
  const media = Array.isArray(b.media) ? (b.media as string[]) : [];
  if (!text && media.length === 0) fail('text', 'Either text or media must be provided');
  if (b.tag !== undefined && (typeof b.tag !== 'string' || b.tag.length > 1024)) fail('tag', 'tag must be a string of at most 1024 characters');
  if (b.priority !== undefined && b.priority !== 'default' && b.priority !== 'high') fail('priority', "priority must be 'default' or 'high'");
  if (b.expiration !== undefined) {
    if (typeof b.expiration !== 'string' || !RFC3339.test(b.expiration)) fail('expiration', 'expiration must be an RFC-3339 date-time');
    else if (Date.parse(b.expiration) <= Date.now()) fail('expiration', 'expiration must be in the future');
  }
  if (errors.length > 0 || !from) return { ok: false, errors };
  return {
    ok: true,
    value: {
      applicationId: b.applicationId as string,
      to: to as string[],
      from,
      text,
      media,
      ...(typeof b.tag === 'string' ? { tag: b.tag } : {}),
      priority: (b.priority as 'default' | 'high' | undefined) ?? 'default',
      ...(typeof b.expiration === 'string' ? { expiration: b.expiration } : {}),
    },
  };
}

export function createMessageHandlers(ctx: Context, callbacks: CallbackDispatcher, limiter: RateLimiter) {
  return {
    create(req: Request): Response {
      if (!isJsonContentType(req.headers['content-type'])) {
        return bwError(415, 'unsupported-content-type', `Content-Type '${req.headers['content-type'] ?? ''}' is not supported; use application/json`);
      }
      let body: unknown;
      try {
        body = JSON.parse(req.body.toString('utf8'));
      } catch {
        return bwError(400, 'request-validation', 'Your request could not be accepted', [{ fieldName: 'body', description: 'The request body is not valid JSON' }]);
      }
      const result = validate(ctx, body);
      if (!result.ok) return bwError(400, 'request-validation', 'Your request could not be accepted', result.errors);
      const send = result.value;
      const now = Date.now();
      const mms = isMms(send);
      const segmentCount = mms ? 1 : countSegments(send.text);
      const admission = limiter.admit(send.from, segmentCount * send.to.length, now);
      if (!admission.ok) {
        return bwError(
          429,
          'max-message-queue-size-exceeded',
          `The SMS queue for your account is full and cannot accept more messages right now. Your allowed rate is ${admission.rate * 60} messages per minute. The capacity of this queue is ${admission.capacity} messages (${Math.round(admission.capacity / admission.rate / 60)} minutes). Reduce your message sending rate, or contact support to increase your allowed rate.`,
        );
      }
      const message: StoredMessage = {
        id: messageId(ctx.rng, now),
        direction: 'out',
        owner: send.from.number,
        applicationId: send.applicationId,
        from: send.from.number,
        to: send.to,
        text: send.text,
        media: send.media,
        ...(send.tag !== undefined ? { tag: send.tag } : {}),
        priority: send.priority,
        ...(send.expiration ? { expiration: send.expiration } : {}),
        time: now,
        segmentCount,
        recipients: new Map(send.to.map((to) => [to, { status: 'QUEUED' as ListStatus, errorCode: 0 }])),
      };
      ctx.messages.set(message.id, message);
      const size = ownMediaSize(ctx, send.media);
      const limit = send.from.class === 'toll-free' ? TOLL_FREE_MMS_BYTES : LOCAL_MMS_BYTES;
      const problem = send.expiration && admission.dequeueAt > Date.parse(send.expiration) ? 4360 : size.missing ? 4410 : size.bytes > limit ? 4411 : undefined;
      const outcomes = new Map<string, Outcome>(
        send.to.map((to) => [to, outcomeFor({ from: send.from.number, to, optedOut: isOptedOut(ctx, `${send.from.number} ${to}`), ...(problem ? { problem } : {}) })]),
      );
      scheduleOutbound(ctx, callbacks, message, admission.dequeueAt, outcomes);
      return json(202, messageJson(message, 'response'));
    },

    list(req: Request): Response {
      return listMessages(ctx, req);
    },
  };
}

interface ListRow {
  message: StoredMessage;
  peer: string;
  sourceTn: string;
  destinationTn: string;
  status: ListStatus;
  errorCode: number;
}

function numberFilter(value: string | null): ((tn: string) => boolean) | { error: string } | null {
  if (value === null) return null;
  const parts = value.split(',').map((part) => part.trim()).filter(Boolean);
  if (parts.length > 10) return { error: 'At most 10 numbers may be given' };
  const full = (tn: string) => toE164(tn) === tn;
  if (parts.length === 1 && !full(parts[0] as string)) {
    const partial = parts[0] as string;
    if (partial.length < 5) return { error: `'${partial}' is too short: a partial number needs at least 5 characters` };
    return (tn) => tn.includes(partial);
  }
  for (const part of parts) if (!full(part)) return { error: `'${part}' is not a valid E164 telephone number` };
  return (tn) => parts.includes(tn);
}

function parseTime(value: string | null, name: string): number | null | { error: string } {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? { error: `${name} must be an ISO-8601 date-time such as 2024-01-01T00:00:00.000Z` } : time;
}

const isError = (value: unknown): value is { error: string } => typeof value === 'object' && value !== null && 'error' in value;

function listMessages(ctx: Context, req: Request): Response {
  const q = req.url.searchParams;
  if ([...q.keys()].length === 0) return bwError(400, 'request-validation', 'At least one query parameter is required');
  const bad = (description: string) => bwError(400, 'request-validation', description);
  const source = numberFilter(q.get('sourceTn'));
  const destination = numberFilter(q.get('destinationTn'));
  const from = parseTime(q.get('fromDateTime'), 'fromDateTime');
  const to = parseTime(q.get('toDateTime'), 'toDateTime');
  for (const check of [source, destination, from, to]) if (isError(check)) return bad(check.error);
  if (typeof from === 'number' && typeof to === 'number' && to - from > 14 * 24 * 3600 * 1000) return bad('The date range to search in is at most 14 days');
  const status = q.get('messageStatus');
  if (status !== null && !LIST_STATUSES.includes(status as ListStatus)) return bad(`messageStatus must be one of ${LIST_STATUSES.join(', ')}`);
  const direction = q.get('messageDirection');
  if (direction !== null && direction !== 'INBOUND' && direction !== 'OUTBOUND') return bad('messageDirection must be INBOUND or OUTBOUND');
  const type = q.get('messageType');
  if (type !== null && !['sms', 'mms', 'rcs'].includes(type)) return bad('messageType must be sms, mms or rcs');
  const errorCode = q.get('errorCode');
  const limit = q.get('limit') === null ? 100 : Number(q.get('limit'));
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) return bad(`limit must be an integer from 1 to ${MAX_RESULTS}`);
  const token = q.get('pageToken');
  const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^o:/, ''));
  if (!Number.isInteger(offset) || offset < 0) return bad('pageToken is not valid');
  if (offset + limit > MAX_RESULTS) return bad(`The sum of limit and the page offset cannot be more than ${MAX_RESULTS}`);
  const sort = q.get('sort') ?? 'receiveTime:desc';
  const [sortField, sortDir] = sort.split(':');
  if (sortDir !== undefined && sortDir !== 'asc' && sortDir !== 'desc') return bad("sort must look like 'field:asc' or 'field:desc'");

  const rows: ListRow[] = [];
  for (const message of ctx.messages.values()) {
    for (const [peer, state] of message.recipients) {
      const row: ListRow = { message, peer, sourceTn: message.from, destinationTn: message.direction === 'out' ? peer : message.owner, status: state.status, errorCode: state.errorCode };
      rows.push(row);
    }
  }
  const matches = rows.filter((row) => {
    const m = row.message;
    if (q.get('messageId') !== null && m.id !== q.get('messageId')) return false;
    if (typeof source === 'function' && !source(row.sourceTn)) return false;
    if (typeof destination === 'function' && !destination(row.destinationTn)) return false;
    if (status !== null && row.status !== status) return false;
    if (direction !== null && (direction === 'INBOUND') !== (m.direction === 'in')) return false;
    if (type !== null && (isMms(m) ? 'mms' : 'sms') !== type) return false;
    if (errorCode !== null && String(row.errorCode) !== errorCode) return false;
    if (typeof from === 'number' && m.time < from) return false;
    if (typeof to === 'number' && m.time > to) return false;
    return true;
  });
  const items = matches.map((row) => listItem(ctx, row));
  const key = (sortField ?? 'receiveTime') as keyof (typeof items)[number];
  const sign = sortDir === 'asc' ? 1 : -1;
  items.sort((a, b) => {
    const x = a[key] ?? '';
    const y = b[key] ?? '';
    return (x < y ? -1 : x > y ? 1 : 0) * sign || (a.messageId < b.messageId ? -1 : 1) * sign;
  });
  const page = items.slice(offset, offset + limit);
  const pageUrl = (at: number) => {
    const params = new URLSearchParams(q);
    const pageToken = Buffer.from(`o:${at}`).toString('base64url');
    params.set('pageToken', pageToken);
    return { url: `${messagingBase(ctx)}/users/${ctx.accountId}/messages?${params.toString()}`, token: pageToken };
  };
  const pageInfo: Record<string, string> = {};
  if (offset + limit < items.length) {
    const next = pageUrl(offset + limit);
    Object.assign(pageInfo, { nextPage: next.url, nextPageToken: next.token });
  }
  if (offset > 0) {
    const prev = pageUrl(Math.max(0, offset - limit));
    Object.assign(pageInfo, { prevPage: prev.url, prevPageToken: prev.token });
  }
  const total = q.get('limitTotalCount') === 'true' ? Math.min(items.length, MAX_RESULTS) : items.length;
  return json(200, { totalCount: total, pageInfo, messages: page });
}

function product(ctx: Context, row: ListRow): string {
  const ours = findOwned(ctx, row.message.owner);
  switch (ours?.class) {
    case 'toll-free':
      return 'TOLL_FREE';
    case '10dlc':
      return 'LOCAL_A2P';
    case 'short-code':
      return 'SHORT_CODE_REACH';
    default:
      return 'P2P';
  }
}

function listItem(ctx: Context, row: ListRow) {
  const m = row.message;
  const mms = isMms(m);
  const country = (tn: string) => (tn.startsWith('+1') ? 'USA' : null);
  return {
    messageId: m.id,
    accountId: ctx.accountId,
    sourceTn: row.sourceTn,
    destinationTn: row.destinationTn,
    messageStatus: row.status,
    messageDirection: m.direction === 'out' ? 'OUTBOUND' : 'INBOUND',
    messageType: mms ? 'mms' : 'sms',
    segmentCount: m.segmentCount,
    errorCode: row.errorCode,
    receiveTime: isoTime(m.time),
    // The spec notes carrier names are not reported for MMS.
    carrierName: mms ? null : 'Sandbox Wireless',
    messageSize: mms ? null : Buffer.byteLength(m.text),
    messageLength: m.text.length,
    attachmentCount: m.media.length,
    recipientCount: m.to.length,
    campaignClass: null,
    campaignId: null,
    bwLatency: null,
    carrierLatency: null,
    callingNumberCountryA3: country(row.sourceTn),
    calledNumberCountryA3: country(row.destinationTn),
    product: product(ctx, row),
    location: ctx.peerId,
  };
}

/** Opted out, unless this is the single confirmation reply right after the STOP. */
function isOptedOut(ctx: Context, pair: string): boolean {
  if (!ctx.optOuts.has(pair)) return false;
  return !ctx.optOutConfirmations.delete(pair);
}

import { z } from 'zod';
import { AppError } from '../../../../shared/ipc/errors';
import { address } from '../../../../shared/ipc/schemas';
import type { Delivery, Message, MessageStatus } from '../../../../shared/ipc/schemas';
import { reduceStatus, summarizeDeliveries } from '../../../../shared/domain/deliveryStatus';
import type { StatusAction } from '../../../../shared/domain/deliveryStatus';
import { newId } from '../../../../shared/domain/ids';
import { attachmentsOf, linkAttachments, toAttachment } from './attachments';
import { decodeCursor, encodeCursor } from './cursor';
import type { Db } from './database';
import { stmt, transaction } from './database';
import { parseJsonColumn } from './json';

export interface NewMessage {
  /** Defaults to a fresh local id. */
  id?: string;
  threadId: string;
  direction: 'in' | 'out';
  from: string;
  to: string[];
  text: string;
  /** `received` for inbound; `queued` or `scheduled` for a new outbound message. */
  status: MessageStatus;
  createdAt: number;
  bandwidthId?: string | null;
  sendAt?: number | null;
  priority?: 'default' | 'high';
  tag?: string | null;
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
  /** Staged attachments (see attachments.ts) that become this message's, in this order. */
  attachmentIds?: string[];
  /** The client's idempotency key for an outbound send (unique). */
  clientKey?: string | null;
}

export interface StatusChange {
  status: MessageStatus;
  at: number;
  /** Bandwidth's error code, kept when this change fails the message. */
  errorCode?: number | null;
  errorDetail?: string | null;
}

/** The message after a status change, and whether anything moved (a duplicate or late event moves nothing). */
export interface StatusResult {
  message: Message;
  changed: boolean;
}

export interface MessagePage {
  /** Oldest first, as displayed. */
  messages: Message[];
  /** Pass as `before` for the page of older messages; null when there are none. */
  olderCursor: string | null;
  /** Pass as `after` for the page of newer messages; null when there are none. */
  newerCursor: string | null;
}

export interface MessageListOptions {
  threadId: string;
  limit?: number;
  before?: string;
  after?: string;
  /** A message id: the page is centred on it (a jump from search). */
  around?: string;
}

export interface MessageRow {
  seq: number;
  id: string;
  thread_id: string;
  direction: 'in' | 'out';
  from_number: string;
  to_numbers: string;
  text: string;
  status: MessageStatus;
  created_at: number;
  updated_at: number;
  bandwidth_id: string | null;
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
  send_at: number | null;
  priority: 'default' | 'high';
  tag: string | null;
  error_code: number | null;
  error_detail: string | null;
  media_count: number;
  retries: number;
}

export const MESSAGE_COLUMNS = `seq, id, thread_id, direction, from_number, to_numbers, text, status, created_at, updated_at,
  bandwidth_id, segments, encoding, send_at, priority, tag, error_code, error_detail, media_count, retries`;

/** A row of MESSAGE_COLUMNS as better-sqlite3's raw mode reads it. */
type RawMessageRow = [
  seq: number,
  id: string,
  threadId: string,
  direction: 'in' | 'out',
  fromNumber: string,
  toNumbers: string,
  text: string,
  status: MessageStatus,
  createdAt: number,
  updatedAt: number,
  bandwidthId: string | null,
  segments: number,
  encoding: 'GSM-7' | 'UCS-2',
  sendAt: number | null,
  priority: 'default' | 'high',
  tag: string | null,
  errorCode: number | null,
  errorDetail: string | null,
  mediaCount: number,
  retries: number,
];

/**
 * The message rows `sql` selects (SELECT ${MESSAGE_COLUMNS} FROM messages ...). Read raw and built here: better-sqlite3
 * builds its own row objects a property at a time from C++, which costs twice as much, and a search or a thread page
 * reads 50 of them.
 */
export function messageRows(db: Db, sql: string, ...params: unknown[]): MessageRow[] {
  return (stmt(db, sql).raw().all(...params) as RawMessageRow[]).map(
    ([seq, id, thread_id, direction, from_number, to_numbers, text, status, created_at, updated_at, bandwidth_id, segments, encoding, send_at, priority, tag, error_code, error_detail, media_count, retries]) => ({
      seq,
      id,
      thread_id,
      direction,
      from_number,
      to_numbers,
      text,
      status,
      created_at,
      updated_at,
      bandwidth_id,
      segments,
      encoding,
      send_at,
      priority,
      tag,
      error_code,
      error_detail,
      media_count,
      retries,
    }),
  );
}

// Built once: the statement cache is keyed by the text, and a fresh string is hashed again on every lookup (the send
// loop reads a message by id for every send).
const MESSAGE_BY_ID = `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`;

const recipients = z.array(address).min(1);

/** A message's `to_numbers` column, parsed (the queue's jobs carry it too). */
export const parseRecipients = (toNumbers: string, messageId: string): string[] => parseJsonColumn(recipients, toNumbers, `messages.to_numbers of ${messageId}`);

/** Turns rows into entities with their attachments and deliveries, in two queries for the whole batch. */
export function toMessages(db: Db, rows: MessageRow[]): Message[] {
  const ids = rows.map((r) => r.id);
  const attachments = attachmentsOf(db, ids);
  // Raw, for the reason messageRows gives.
  const deliveryRows = stmt(
    db,
    'SELECT message_id, recipient, status, error_code, updated_at FROM deliveries WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, recipient',
  )
    .raw()
    .all(JSON.stringify(ids)) as [messageId: string, recipient: string, status: MessageStatus, errorCode: number | null, updatedAt: number][];
  const deliveries = new Map<string, Delivery[]>();
  for (const [messageId, recipient, status, errorCode, updatedAt] of deliveryRows) {
    const list = deliveries.get(messageId) ?? [];
    list.push({ recipient, status, errorCode, updatedAt });
    deliveries.set(messageId, list);
  }
  return rows.map((row) => toMessage(row, (attachments.get(row.id) ?? []).map(toAttachment), deliveries.get(row.id) ?? []));
}

function toMessage(row: MessageRow, attachments: Message['attachments'], deliveries: Delivery[]): Message {
  return {
    id: row.id,
    threadId: row.thread_id,
    direction: row.direction,
    from: row.from_number,
    to: parseRecipients(row.to_numbers, row.id),
    text: row.text,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    bandwidthId: row.bandwidth_id,
    segments: row.segments,
    encoding: row.encoding,
    sendAt: row.send_at,
    priority: row.priority,
    tag: row.tag,
    errorCode: row.error_code,
    errorDetail: row.error_detail,
    retries: row.retries,
    attachments,
    deliveries,
  };
}

/**
 * Writes a message without reading it back (the seeding helper's fast path). Outbound messages get one delivery
 * per recipient; the thread's activity, preview and counters follow through triggers.
 */
export function insertMessageRow(db: Db, input: NewMessage): string {
  if (input.to.length === 0) throw new AppError('INVALID_INPUT', 'A message needs at least one recipient');
  const id = input.id ?? newId(input.createdAt);
  transaction(db, writeMessage)(db, id, input);
  return id;
}

/** What a received message needs beyond what every inbound message has in common. */
export type NewReceivedMessage = Omit<NewMessage, 'id' | 'direction' | 'status' | 'sendAt' | 'priority' | 'tag' | 'clientKey'>;

/**
 * An inbound message written in the caller's transaction and returned as written, without reading it back (the
 * callback listener writes thousands a second). No savepoint of its own: on an error the caller must roll its
 * transaction back whole, as the group commit does.
 */
export function insertReceivedMessage(db: Db, input: NewReceivedMessage): Message {
  if (input.to.length === 0) throw new AppError('INVALID_INPUT', 'A message needs at least one recipient');
  const id = newId(input.createdAt);
  const to = writeMessage(db, id, { ...input, direction: 'in', status: 'received' });
  const attachments = input.attachmentIds?.length ? (attachmentsOf(db, [id]).get(id) ?? []).map(toAttachment) : [];
  return {
    id,
    threadId: input.threadId,
    direction: 'in',
    from: input.from,
    to,
    text: input.text,
    status: 'received',
    createdAt: input.createdAt,
    updatedAt: input.createdAt,
    bandwidthId: input.bandwidthId ?? null,
    segments: input.segments,
    encoding: input.encoding,
    sendAt: null,
    priority: 'default',
    tag: null,
    errorCode: null,
    errorDetail: null,
    retries: 0,
    attachments,
    deliveries: [],
  };
}

/** Writes the message, its attachments' links and (outbound) its deliveries; returns the recipients as stored. */
function writeMessage(db: Db, id: string, input: NewMessage): string[] {
  const to = [...new Set(input.to)];
  const attachmentIds = input.attachmentIds ?? [];
  stmt(
    db,
    `INSERT INTO messages (id, bandwidth_id, thread_id, direction, from_number, to_numbers, text, status, created_at, updated_at,
       send_at, priority, tag, segments, encoding, media_count, client_key, late)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce((SELECT max(created_at) FROM messages), 0) > ?)`,
  ).run(
    id,
    input.bandwidthId ?? null,
    input.threadId,
    input.direction,
    input.from,
    JSON.stringify(to),
    input.text,
    input.status,
    input.createdAt,
    input.createdAt,
    input.sendAt ?? null,
    input.priority ?? 'default',
    input.tag ?? null,
    input.segments,
    input.encoding,
    attachmentIds.length,
    input.clientKey ?? null,
    // Late: written after a newer message, so its rowid is not its place in time (migration 010, searchMessages).
    input.createdAt,
  );
  linkAttachments(db, id, attachmentIds, input.createdAt);
  if (input.direction === 'out') {
    const addDelivery = stmt(db, 'INSERT INTO deliveries (message_id, recipient, status, updated_at) VALUES (?, ?, ?, ?)');
    for (const recipient of to) addDelivery.run(id, recipient, input.status, input.createdAt);
  }
  return to;
}

export function insertMessage(db: Db, input: NewMessage): Message {
  return getMessage(db, insertMessageRow(db, input))!;
}

export function getMessage(db: Db, id: string): Message | null {
  const [row] = messageRows(db, MESSAGE_BY_ID, id);
  return row ? toMessages(db, [row])[0]! : null;
}

/** The id of the message with this Bandwidth id, without reading the message: whether a received one is stored. */
export function messageIdByBandwidthId(db: Db, direction: 'in' | 'out', bandwidthId: string): string | null {
  return (stmt(db, 'SELECT id FROM messages WHERE bandwidth_id = ? AND direction = ? ORDER BY created_at LIMIT 1').pluck().get(bandwidthId, direction) as
    | string
    | undefined) ?? null;
}

/**
 * The message with this Bandwidth id: for an outbound one, the message a status callback is about. An outbound
 * message is also found by the id of an attempt its retry superseded (see retryMessage), so an earlier attempt is
 * never taken for another message or a new send.
 */
export function findMessageByBandwidthId(db: Db, direction: 'in' | 'out', bandwidthId: string): Message | null {
  const [current] = messageRows(db, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE bandwidth_id = ? AND direction = ? ORDER BY created_at LIMIT 1`, bandwidthId, direction);
  const row =
    current ??
    (direction === 'out' ? messageRows(db, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = (SELECT message_id FROM superseded_attempts WHERE bandwidth_id = ?)`, bandwidthId)[0] : undefined);
  return row ? toMessages(db, [row])[0]! : null;
}

/** Whether `bandwidthId` is an attempt of the message that a retry superseded (its news no longer settles the message). */
export function isSupersededAttempt(db: Db, messageId: string, bandwidthId: string): boolean {
  return stmt(db, 'SELECT EXISTS (SELECT 1 FROM superseded_attempts WHERE message_id = ? AND bandwidth_id = ?)').pluck().get(messageId, bandwidthId) === 1;
}

/**
 * Outbound messages Bandwidth took that have no final status yet, least recently updated first: what
 * reconciliation looks up in Bandwidth's message list, and what turns `no-receipt` after a while.
 * `updatedBefore` keeps only those unchanged since then; `after` continues from where the last page ended.
 */
export function listAwaitingReceipt(db: Db, options: { updatedBefore?: number; limit: number; after?: { updatedAt: number; id: string } }): Message[] {
  const after = options.after ?? { updatedAt: -1, id: '' };
  const rows = messageRows(
    db,
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE status IN ('accepted', 'sent', 'no-receipt') AND updated_at < ?
     AND (updated_at > ? OR (updated_at = ? AND id > ?)) ORDER BY updated_at, id LIMIT ?`,
    options.updatedBefore ?? Number.MAX_SAFE_INTEGER,
    after.updatedAt,
    after.updatedAt,
    after.id,
    options.limit,
  );
  return toMessages(db, rows);
}

/** The message a client already created with this idempotency key, if any. */
export function findMessageByClientKey(db: Db, clientKey: string): Message | null {
  const [row] = messageRows(db, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE client_key = ?`, clientKey);
  return row ? toMessages(db, [row])[0]! : null;
}

/** Bandwidth's id, once the send was accepted. */
export function setBandwidthId(db: Db, id: string, bandwidthId: string, at: number): void {
  stmt(db, 'UPDATE messages SET bandwidth_id = ?, updated_at = ? WHERE id = ?').run(bandwidthId, at, id);
}

function olderRows(db: Db, threadId: string, ts: number, id: string, limit: number): MessageRow[] {
  return messageRows(
    db,
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE thread_id = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`,
    threadId,
    ts,
    id,
    limit,
  );
}

function newerRows(db: Db, threadId: string, ts: number, id: string, limit: number): MessageRow[] {
  return messageRows(db, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE thread_id = ? AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?`, threadId, ts, id, limit);
}

function hasBeyond(db: Db, threadId: string, row: MessageRow, side: 'older' | 'newer'): boolean {
  const op = side === 'older' ? '<' : '>';
  return stmt(db, `SELECT EXISTS (SELECT 1 FROM messages WHERE thread_id = ? AND (created_at, id) ${op} (?, ?))`)
    .pluck()
    .get(threadId, row.created_at, row.id) === 1;
}

/**
 * One page of a thread, oldest first: the newest messages by default, older than `before`, newer than `after`,
 * or centred on the message `around`. Each side's cursor is set only when more messages lie beyond it.
 */
export function listMessages(db: Db, options: MessageListOptions): MessagePage {
  const { threadId } = options;
  const limit = options.limit ?? 50;
  const given = [options.before, options.after, options.around].filter((v) => v !== undefined).length;
  if (given > 1) throw new AppError('INVALID_INPUT', 'Give at most one of before, after and around');
  let rows: MessageRow[];
  if (options.before !== undefined) {
    const c = decodeCursor(options.before);
    rows = olderRows(db, threadId, c.ts, c.id, limit).reverse();
  } else if (options.after !== undefined) {
    const c = decodeCursor(options.after);
    rows = newerRows(db, threadId, c.ts, c.id, limit);
  } else if (options.around !== undefined) {
    const [target] = messageRows(db, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ? AND thread_id = ?`, options.around, threadId);
    if (!target) throw new AppError('NOT_FOUND', 'That message is not in this conversation');
    const older = olderRows(db, threadId, target.created_at, target.id, Math.floor((limit - 1) / 2)).reverse();
    const newer = newerRows(db, threadId, target.created_at, target.id, limit - 1 - older.length);
    rows = [...older, target, ...newer];
  } else {
    rows = messageRows(db, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE thread_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, threadId, limit).reverse();
  }
  const first = rows[0];
  const last = rows.at(-1);
  return {
    messages: toMessages(db, rows),
    olderCursor: first && hasBeyond(db, threadId, first, 'older') ? encodeCursor(first.created_at, first.id) : null,
    newerCursor: last && hasBeyond(db, threadId, last, 'newer') ? encodeCursor(last.created_at, last.id) : null,
  };
}

interface DeliveryState {
  recipient: string;
  status: MessageStatus;
}

/** The message's status after a step, and whether anything moved; without reading the message back. */
export interface StatusStep {
  status: MessageStatus;
  changed: boolean;
}

/** Applies an action to some recipients, then derives the message's status from all of them (run it in a transaction). */
function stepDeliveries(db: Db, messageId: string, action: StatusAction, change: Omit<StatusChange, 'status'> & { bandwidthId?: string }, only?: string): StatusStep | null {
  const current = stmt(db, 'SELECT status FROM messages WHERE id = ?').pluck().get(messageId) as MessageStatus | undefined;
  if (current === undefined) return null;
  const all = stmt(db, 'SELECT recipient, status FROM deliveries WHERE message_id = ?').all(messageId) as DeliveryState[];
  return writeStep(db, messageId, current, all, action, change, only);
}

/** stepDeliveries on the status and deliveries the caller read in this transaction; `all` is updated in place. */
function writeStep(
  db: Db,
  messageId: string,
  current: MessageStatus,
  all: DeliveryState[],
  action: StatusAction,
  change: Parameters<typeof stepDeliveries>[3],
  only?: string,
): StatusStep | null {
  const targets = only === undefined ? all : all.filter((d) => d.recipient === only);
  if (only !== undefined && targets.length === 0) return null;
  const retry = action.type === 'retry';
  // A failure records its error; a retry clears it; any other step leaves it as it was.
  const errorFor = (status: MessageStatus) =>
    status === 'failed' ? { code: change.errorCode ?? null, detail: change.errorDetail ?? null } : retry ? { code: null, detail: null } : null;
  let changed = false;
  let messageError: ReturnType<typeof errorFor> = null;
  for (const delivery of targets) {
    const next = reduceStatus(delivery.status, action);
    if (next === delivery.status) continue;
    changed = true;
    delivery.status = next;
    const error = errorFor(next);
    messageError = error ?? messageError;
    if (error) {
      stmt(db, 'UPDATE deliveries SET status = ?, updated_at = ?, error_code = ? WHERE message_id = ? AND recipient = ?').run(
        next,
        change.at,
        error.code,
        messageId,
        delivery.recipient,
      );
    } else {
      stmt(db, 'UPDATE deliveries SET status = ?, updated_at = ? WHERE message_id = ? AND recipient = ?').run(next, change.at, messageId, delivery.recipient);
    }
  }
  if (!changed) {
    if (change.bandwidthId !== undefined) setBandwidthId(db, messageId, change.bandwidthId, change.at);
    return { status: current, changed };
  }
  const status = summarizeDeliveries(all.map((d) => d.status)).status;
  if (change.bandwidthId !== undefined) {
    // Bandwidth's 202: its id and the step in one write (a step to accepted records no error).
    stmt(db, 'UPDATE messages SET status = ?, updated_at = ?, bandwidth_id = ? WHERE id = ?').run(status, change.at, change.bandwidthId, messageId);
  } else if (messageError) {
    stmt(db, 'UPDATE messages SET status = ?, updated_at = ?, error_code = ?, error_detail = ? WHERE id = ?').run(
      status,
      change.at,
      messageError.code,
      messageError.detail,
      messageId,
    );
  } else {
    stmt(db, 'UPDATE messages SET status = ?, updated_at = ? WHERE id = ?').run(status, change.at, messageId);
  }
  return { status, changed };
}

function applyToDeliveries(db: Db, messageId: string, action: StatusAction, change: Omit<StatusChange, 'status'>): StatusResult | null {
  return transaction(db, applyStep)(db, messageId, action, change);
}

function applyStep(db: Db, messageId: string, action: StatusAction, change: Omit<StatusChange, 'status'>): StatusResult | null {
  const step = stepDeliveries(db, messageId, action, change);
  return step && { message: getMessage(db, messageId)!, changed: step.changed };
}

/**
 * A step that concerns the whole outbound message (queue progress, Bandwidth's 202, a final 4xx, reconciliation):
 * applied to every recipient through the monotonic reducer. Null when the message does not exist.
 * Inbound messages never change (`received` is final).
 */
export function advanceMessageStatus(db: Db, messageId: string, change: StatusChange): StatusResult | null {
  return applyToDeliveries(db, messageId, { type: 'advance', status: change.status }, change);
}

/**
 * advanceMessageStatus without reading the message back: for steps whose caller reads messages in bulk, or not at all.
 * With `bandwidthId` (Bandwidth's 202) the id is written with the step, or alone when the status does not move (a
 * callback got there first). Inside a caller's transaction it runs as part of it (an error rolls that back whole)
 * rather than in a savepoint of its own, which would cost two more statements per step in the send loop's commits.
 */
export function stepMessageStatus(db: Db, messageId: string, change: StatusChange & { bandwidthId?: string }): StatusStep | null {
  const action: StatusAction = { type: 'advance', status: change.status };
  return db.inTransaction ? stepDeliveries(db, messageId, action, change) : transaction(db, stepDeliveries)(db, messageId, action, change);
}


/**
 * Bandwidth's 202: stepMessageStatus to `accepted` with Bandwidth's id (run it in a transaction), returning the message
 * as written without reading it back: it reads the row and its deliveries (one lookup each) before the step and applies
 * what writeStep writes. The send loop calls it for every send, so it neither needs the message as read before the
 * request (a callback or the `sending` step may have moved it since) nor a read after. Null when the message is gone.
 */
export function acceptMessage(db: Db, messageId: string, bandwidthId: string, at: number): Message | null {
  const [row] = messageRows(db, MESSAGE_BY_ID, messageId);
  if (!row) return null;
  const deliveries = (
    stmt(db, 'SELECT recipient, status, error_code, updated_at FROM deliveries WHERE message_id = ? ORDER BY recipient').all(messageId) as {
      recipient: string;
      status: MessageStatus;
      error_code: number | null;
      updated_at: number;
    }[]
  ).map((d): Delivery => ({ recipient: d.recipient, status: d.status, errorCode: d.error_code, updatedAt: d.updated_at }));
  const all: DeliveryState[] = deliveries.map(({ recipient, status }) => ({ recipient, status }));
  const step = writeStep(db, messageId, row.status, all, { type: 'advance', status: 'accepted' }, { at, bandwidthId })!;
  // What writeStep wrote: the id and updated_at always; a new status and updated_at for each recipient that moved.
  return {
    ...toMessage(row, row.media_count > 0 ? (attachmentsOf(db, [messageId]).get(messageId) ?? []).map(toAttachment) : [], deliveries),
    status: step.status,
    updatedAt: at,
    bandwidthId,
    deliveries: deliveries.map((d, i) => (all[i]!.status === d.status ? d : { ...d, status: all[i]!.status, updatedAt: at })),
  };
}

/** Messages by id, in the order given (unknown ids are left out); one query each for rows, attachments and deliveries. */
export function getMessages(db: Db, ids: readonly string[]): Message[] {
  const rows = messageRows(db, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?))`, JSON.stringify(ids));
  const byId = new Map(toMessages(db, rows).map((message) => [message.id, message]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One recipient's status callback. Null when the message or the recipient is unknown. */
export function advanceDeliveryStatus(db: Db, messageId: string, recipient: string, change: StatusChange): StatusResult | null {
  return transaction(db, readAndAdvance)(db, messageId, recipient, change);
}

function readAndAdvance(db: Db, messageId: string, recipient: string, change: StatusChange): StatusResult | null {
  const message = getMessage(db, messageId);
  return message && advanceDelivery(db, message, recipient, change);
}

/**
 * advanceDeliveryStatus for a message the caller read in the current transaction (a status callback finds it by
 * Bandwidth's id or its tag): the step starts from it, and the result is it as the step wrote it, not read again.
 */
export function advanceDelivery(db: Db, message: Message, recipient: string, change: StatusChange): StatusResult | null {
  const all = message.deliveries.map(({ recipient, status }) => ({ recipient, status }));
  const step = writeStep(db, message.id, message.status, all, { type: 'advance', status: change.status }, change, recipient);
  if (!step?.changed) return step && { message, changed: false };
  // What writeStep's UPDATEs set: the error only when the recipient failed; an advance never clears one.
  const status = all.find((d) => d.recipient === recipient)!.status;
  const failed = status === 'failed';
  const errorCode = change.errorCode ?? null;
  return {
    changed: true,
    message: {
      ...message,
      status: step.status,
      updatedAt: change.at,
      ...(failed && { errorCode, errorDetail: change.errorDetail ?? null }),
      deliveries: message.deliveries.map((d) =>
        d.recipient === recipient ? { ...d, status, updatedAt: change.at, ...(failed && { errorCode }) } : d,
      ),
    },
  };
}

/** The agent's retry: every failed recipient goes back to `queued` and the errors are cleared. Re-enqueue in the same transaction. */
export function retryMessage(db: Db, messageId: string, at: number): Message {
  return db.transaction(() => {
    const status = stmt(db, 'SELECT status FROM messages WHERE id = ?').pluck().get(messageId) as MessageStatus | undefined;
    if (status === undefined) throw new AppError('NOT_FOUND', 'This message no longer exists');
    // A group message that reached some recipients is `delivered`: re-sending it would reach them twice.
    if (status !== 'failed') throw new AppError('CONFLICT', 'Only a failed message can be retried');
    // The retry is a new attempt with a new Bandwidth id (from its 202 or first callback). The failed attempt's id is
    // kept as superseded, so its late callbacks (every attempt carries our tag) are known as its and ignored.
    stmt(db, 'INSERT INTO superseded_attempts (message_id, bandwidth_id) SELECT id, bandwidth_id FROM messages WHERE id = ? AND bandwidth_id IS NOT NULL').run(messageId);
    // Counted for retryUsedUp: a failure worth one more try only (REFERENCE.md §6.2) gets just that one.
    stmt(db, 'UPDATE messages SET bandwidth_id = NULL, retries = retries + 1 WHERE id = ?').run(messageId);
    return applyToDeliveries(db, messageId, { type: 'retry' }, { at })!.message;
  })();
}

/** Removes a message (a cancelled scheduled send); its attachments become orphans for the GC pass. */
export function deleteMessage(db: Db, id: string): boolean {
  return stmt(db, 'DELETE FROM messages WHERE id = ?').run(id).changes === 1;
}

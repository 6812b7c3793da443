import { z } from 'zod';
import { AppError } from '../../../../shared/ipc/errors';
import { address } from '../../../../shared/ipc/schemas';
import type { MessageStatus, Thread } from '../../../../shared/ipc/schemas';
import { newId } from '../../../../shared/domain/ids';
import type { ThreadKey } from '../../../../shared/domain/threadKey';
import { decodeCursor, encodeCursor } from './cursor';
import type { Db } from './database';
import { stmt, transaction } from './database';
import { parseJsonColumn } from './json';

export type ThreadView = 'all' | 'unread' | 'failed' | 'opted-out' | 'scheduled';

export interface ThreadListOptions {
  limit?: number;
  before?: string;
  view?: ThreadView;
  ourNumber?: string;
  /** The one thread without messages to list (the open one); see listThreads. */
  include?: string;
}

/**
 * A threads row as an array, in COLUMNS order (better-sqlite3's raw mode): building an object per row cost half the
 * time of reading a page of 100 threads.
 */
type ThreadRow = [
  id: string,
  ourNumber: string,
  participants: string,
  lastActivityAt: number,
  unread: number,
  optedOut: number,
  previewMessageId: string | null,
  previewText: string | null,
  previewDirection: 'in' | 'out' | null,
  previewStatus: MessageStatus | null,
  previewHasMedia: number | null,
];

const COLUMNS = `id, our_number, participants, last_activity_at, unread, opted_out,
  preview_message_id, preview_text, preview_direction, preview_status, preview_has_media`;

/** Each view is a condition that matches a partial index of migration 002 word for word. */
const VIEW_CONDITION: Record<ThreadView, string | null> = {
  all: null,
  unread: 'unread > 0',
  failed: 'failed_count > 0',
  scheduled: 'scheduled_count > 0',
  'opted-out': 'opted_out = 1',
};

const participantList = z.array(address).min(1);

/** Contact names of the given threads' participants, in one query. */
function namesOf(db: Db, threadIds: string[]): Map<string, Record<string, string>> {
  const rows = stmt(
    db,
    `SELECT p.thread_id, c.number, c.name FROM thread_participants p JOIN contacts c ON c.number = p.number
     WHERE p.thread_id IN (SELECT value FROM json_each(?)) AND c.name <> ''`,
  )
    .raw()
    .all(JSON.stringify(threadIds)) as [threadId: string, number: string, name: string][];
  const names = new Map<string, Record<string, string>>();
  for (const [threadId, number, name] of rows) {
    const forThread = names.get(threadId) ?? {};
    forThread[number] = name;
    names.set(threadId, forThread);
  }
  return names;
}

function toThreads(db: Db, rows: ThreadRow[]): Thread[] {
  const names = namesOf(db, rows.map(([id]) => id));
  return rows.map(([id, ourNumber, participants, lastActivityAt, unread, optedOut, previewId, previewText, previewDirection, previewStatus, previewHasMedia]) => ({
    id,
    ourNumber,
    participants: parseJsonColumn(participantList, participants, `threads.participants of ${id}`),
    names: names.get(id) ?? {},
    lastActivityAt,
    unread,
    preview:
      previewId === null
        ? null
        : { text: previewText ?? '', direction: previewDirection ?? 'in', status: previewStatus ?? 'received', hasMedia: previewHasMedia === 1 },
    optedOut: optedOut === 1,
  }));
}

/** Thread rows selected by `sql` (COLUMNS FROM threads ...). */
const threadRows = (db: Db, sql: string, ...params: unknown[]) => stmt(db, sql).raw().all(...params) as ThreadRow[];

export function getThread(db: Db, id: string): Thread | null {
  const rows = threadRows(db, `SELECT ${COLUMNS} FROM threads WHERE id = ?`, id);
  return rows.length ? toThreads(db, rows)[0]! : null;
}

/**
 * The threads whose preview is one of `messages`: a status change shows in a thread's row only through its
 * preview (the status trigger of migration 002 changes nothing else the row carries).
 */
export function getThreadsPreviewing(db: Db, messages: readonly { id: string; threadId: string }[]): Thread[] {
  const rows = threadRows(
    db,
    `SELECT ${COLUMNS} FROM threads WHERE id IN (SELECT value FROM json_each(?)) AND preview_message_id IN (SELECT value FROM json_each(?))`,
    JSON.stringify([...new Set(messages.map((m) => m.threadId))]),
    JSON.stringify(messages.map((m) => m.id)),
  );
  return toThreads(db, rows);
}

/** Several threads by id, for results that span threads (search). */
export function getThreadsByIds(db: Db, ids: string[]): Map<string, Thread> {
  const rows = threadRows(db, `SELECT ${COLUMNS} FROM threads WHERE id IN (SELECT value FROM json_each(?))`, JSON.stringify(ids));
  return new Map(toThreads(db, rows).map((t) => [t.id, t]));
}

/**
 * The thread for (our number, participants), created on first use with its participants and its opted-out flag
 * (later opt-outs keep the flag current through triggers).
 */
export function upsertThread(db: Db, key: ThreadKey, at: number): Thread {
  return getThread(db, upsertThreadId(db, key, at))!;
}

/** upsertThread without reading the thread back: the id is all an inbound message needs. */
export function upsertThreadId(db: Db, key: ThreadKey, at: number): string {
  return threadIdByKey(db, key.key) ?? transaction(db, createThread)(db, key, at);
}

/** The id of the thread with this key (ThreadKey.key), if there is one. */
export function threadIdByKey(db: Db, key: string): string | null {
  return (stmt(db, 'SELECT id FROM threads WHERE thread_key = ?').pluck().get(key) as string | undefined) ?? null;
}

function createThread(db: Db, key: ThreadKey, at: number): string {
  const threadId = newId(at);
  const participants = JSON.stringify(key.participants);
  stmt(
    db,
    `INSERT INTO threads (id, thread_key, our_number, participants, created_at, last_activity_at, opted_out)
     VALUES (?, ?, ?, ?, ?, ?, EXISTS (SELECT 1 FROM opt_outs WHERE our_number = ? AND number IN (SELECT value FROM json_each(?))))`,
  ).run(threadId, key.key, key.ourNumber, participants, at, at, key.ourNumber, participants);
  const addParticipant = stmt(db, 'INSERT INTO thread_participants (thread_id, number) VALUES (?, ?)');
  for (const number of key.participants) addParticipant.run(threadId, number);
  return threadId;
}

/** Threads by newest activity, one keyset page at a time. */
export function listThreads(db: Db, options: ThreadListOptions = {}): { threads: Thread[]; nextCursor: string | null } {
  const limit = options.limit ?? 50;
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (options.before !== undefined) {
    const cursor = decodeCursor(options.before);
    where.push('(last_activity_at, id) < (?, ?)');
    params.push(cursor.ts, cursor.id);
  }
  if (options.ourNumber !== undefined) {
    where.push('our_number = ?');
    params.push(options.ourNumber);
  }
  const condition = VIEW_CONDITION[options.view ?? 'all'];
  if (condition) where.push(condition);
  // A thread nobody has written in (started, then left without a message) is not listed, but the open one is: it
  // disappears once the agent moves on and comes back with its first message, while its draft stays. Filtering here
  // rather than deleting the thread when the agent leaves it keeps a send that is on its way from racing a delete.
  // Such threads are few, so walking the views' indexes past them costs nothing.
  if (options.include !== undefined) {
    where.push('(preview_message_id IS NOT NULL OR id = ?)');
    params.push(options.include);
  } else where.push('preview_message_id IS NOT NULL');
  const rows = threadRows(
    db,
    `SELECT ${COLUMNS} FROM threads WHERE ${where.join(' AND ')}
     ORDER BY last_activity_at DESC, id DESC LIMIT ?`,
    ...params,
    limit + 1,
  );
  const page = toThreads(db, rows.slice(0, limit));
  const last = page.at(-1);
  return { threads: page, nextCursor: rows.length > limit && last ? encodeCursor(last.lastActivityAt, last.id) : null };
}

export function markThreadRead(db: Db, id: string): Thread {
  stmt(db, 'UPDATE threads SET unread = 0 WHERE id = ? AND unread <> 0').run(id);
  const thread = getThread(db, id);
  if (!thread) throw new AppError('NOT_FOUND', 'This conversation no longer exists');
  return thread;
}

/** The threads `number` takes part in (any of our numbers, 1:1 and groups): those whose names change with its contact. */
export function threadIdsWithParticipant(db: Db, number: string): string[] {
  return stmt(db, 'SELECT thread_id FROM thread_participants WHERE number = ?').pluck().all(number) as string[];
}

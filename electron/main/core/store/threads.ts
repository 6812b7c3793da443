import { z } from 'zod';
import { AppError } from '../../../../shared/ipc/errors';
import { e164 } from '../../../../shared/ipc/schemas';
import type { MessageStatus, Thread } from '../../../../shared/ipc/schemas';
import { newId } from '../../../../shared/domain/ids';
import type { ThreadKey } from '../../../../shared/domain/threadKey';
import { decodeCursor, encodeCursor } from './cursor';
import type { Db } from './database';
import { stmt } from './database';
import { parseJsonColumn } from './json';

export type ThreadView = 'all' | 'unread' | 'failed' | 'opted-out' | 'scheduled';

export interface ThreadListOptions {
  limit?: number;
  before?: string;
  view?: ThreadView;
  ourNumber?: string;
}

interface ThreadRow {
  id: string;
  our_number: string;
  participants: string;
  last_activity_at: number;
  unread: number;
  opted_out: number;
  preview_message_id: string | null;
  preview_text: string | null;
  preview_direction: 'in' | 'out' | null;
  preview_status: MessageStatus | null;
  preview_has_media: number | null;
}

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

const participantList = z.array(e164).min(1);

/** Contact names of the given threads' participants, in one query. */
function namesOf(db: Db, threadIds: string[]): Map<string, Record<string, string>> {
  const rows = stmt(
    db,
    `SELECT p.thread_id, c.number, c.name FROM thread_participants p JOIN contacts c ON c.number = p.number
     WHERE p.thread_id IN (SELECT value FROM json_each(?)) AND c.name <> ''`,
  ).all(JSON.stringify(threadIds)) as { thread_id: string; number: string; name: string }[];
  const names = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const forThread = names.get(row.thread_id) ?? {};
    forThread[row.number] = row.name;
    names.set(row.thread_id, forThread);
  }
  return names;
}

function toThreads(db: Db, rows: ThreadRow[]): Thread[] {
  const names = namesOf(db, rows.map((r) => r.id));
  return rows.map((row) => ({
    id: row.id,
    ourNumber: row.our_number,
    participants: parseJsonColumn(participantList, row.participants, `threads.participants of ${row.id}`),
    names: names.get(row.id) ?? {},
    lastActivityAt: row.last_activity_at,
    unread: row.unread,
    preview:
      row.preview_message_id === null
        ? null
        : {
            text: row.preview_text ?? '',
            direction: row.preview_direction ?? 'in',
            status: row.preview_status ?? 'received',
            hasMedia: row.preview_has_media === 1,
          },
    optedOut: row.opted_out === 1,
  }));
}

export function getThread(db: Db, id: string): Thread | null {
  const row = stmt(db, `SELECT ${COLUMNS} FROM threads WHERE id = ?`).get(id) as ThreadRow | undefined;
  return row ? toThreads(db, [row])[0]! : null;
}

/** Several threads by id, for results that span threads (search). */
export function getThreadsByIds(db: Db, ids: string[]): Map<string, Thread> {
  const rows = stmt(db, `SELECT ${COLUMNS} FROM threads WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as ThreadRow[];
  return new Map(toThreads(db, rows).map((t) => [t.id, t]));
}

/**
 * The thread for (our number, participants), created on first use with its participants and its opted-out flag
 * (later opt-outs keep the flag current through triggers).
 */
export function upsertThread(db: Db, key: ThreadKey, at: number): Thread {
  const id = db.transaction(() => {
    const existing = stmt(db, 'SELECT id FROM threads WHERE thread_key = ?').get(key.key) as { id: string } | undefined;
    if (existing) return existing.id;
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
  })();
  return getThread(db, id)!;
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
  const rows = stmt(
    db,
    `SELECT ${COLUMNS} FROM threads ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY last_activity_at DESC, id DESC LIMIT ?`,
  ).all(...params, limit + 1) as ThreadRow[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { threads: toThreads(db, page), nextCursor: rows.length > limit && last ? encodeCursor(last.last_activity_at, last.id) : null };
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

import { AppError } from '../../../../shared/ipc/errors';
import type { Attachment } from '../../../../shared/ipc/schemas';
import { newId } from '../../../../shared/domain/ids';
import { decodeCursor, encodeCursor } from './cursor';
import type { Db } from './database';
import { stmt } from './database';

export type AttachmentState = Attachment['state'];

/** What the store keeps about a file; only the media module sees paths and remote URLs. */
export interface AttachmentRecord {
  id: string;
  /** Null while staged (uploaded by the agent, not yet sent) or after its message was deleted. */
  messageId: string | null;
  position: number;
  name: string;
  contentType: string;
  size: number;
  sha256: string | null;
  /** Relative to the data folder; null until the file is on disk. */
  path: string | null;
  state: AttachmentState;
  /** Bandwidth's media URL: where an inbound file is downloaded from, or where an outbound one was uploaded. */
  remoteUrl: string | null;
  /** A picture's pixel size as shown; null for other files or when it could not be read. */
  width: number | null;
  height: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewAttachment {
  id?: string;
  name: string;
  contentType: string;
  size?: number;
  sha256?: string | null;
  path?: string | null;
  state: AttachmentState;
  remoteUrl?: string | null;
  width?: number | null;
  height?: number | null;
  createdAt: number;
}

export type AttachmentPatch = Partial<Pick<AttachmentRecord, 'name' | 'contentType' | 'size' | 'sha256' | 'path' | 'state' | 'remoteUrl' | 'width' | 'height'>>;

interface AttachmentRow {
  id: string;
  message_id: string | null;
  position: number;
  name: string;
  content_type: string;
  size: number;
  sha256: string | null;
  path: string | null;
  state: AttachmentState;
  remote_url: string | null;
  width: number | null;
  height: number | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, message_id, position, name, content_type, size, sha256, path, state, remote_url, width, height, created_at, updated_at';

const PATCH_COLUMNS: Record<keyof AttachmentPatch, string> = {
  name: 'name',
  contentType: 'content_type',
  size: 'size',
  sha256: 'sha256',
  path: 'path',
  state: 'state',
  remoteUrl: 'remote_url',
  width: 'width',
  height: 'height',
};

function toRecord(row: AttachmentRow): AttachmentRecord {
  return {
    id: row.id,
    messageId: row.message_id,
    position: row.position,
    name: row.name,
    contentType: row.content_type,
    size: row.size,
    sha256: row.sha256,
    path: row.path,
    state: row.state,
    remoteUrl: row.remote_url,
    width: row.width,
    height: row.height,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The entity the renderer sees. Its url is relative (`/media/<id>`): browser mode serves that path, and the
 * Electron shell can serve the same path on its app:// origin, so one form works in both.
 */
export function toAttachment(record: AttachmentRecord): Attachment {
  return {
    id: record.id,
    name: record.name,
    contentType: record.contentType,
    size: record.size,
    width: record.width,
    height: record.height,
    url: record.state === 'ready' ? `/media/${record.id}` : null,
    state: record.state,
  };
}

export function createAttachment(db: Db, input: NewAttachment): AttachmentRecord {
  const id = input.id ?? newId(input.createdAt);
  stmt(
    db,
    `INSERT INTO attachments (id, name, content_type, size, sha256, path, state, remote_url, width, height, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, input.name, input.contentType, input.size ?? 0, input.sha256 ?? null, input.path ?? null, input.state, input.remoteUrl ?? null, input.width ?? null, input.height ?? null, input.createdAt, input.createdAt);
  return getAttachment(db, id)!;
}

export function getAttachment(db: Db, id: string): AttachmentRecord | null {
  const row = stmt(db, `SELECT ${COLUMNS} FROM attachments WHERE id = ?`).get(id) as AttachmentRow | undefined;
  return row ? toRecord(row) : null;
}

/** The attachments of several messages, in order, grouped by message id. */
export function attachmentsOf(db: Db, messageIds: string[]): Map<string, AttachmentRecord[]> {
  const rows = stmt(
    db,
    `SELECT ${COLUMNS} FROM attachments WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, position`,
  ).all(JSON.stringify(messageIds)) as AttachmentRow[];
  const byMessage = new Map<string, AttachmentRecord[]>();
  for (const row of rows) {
    const list = byMessage.get(row.message_id!) ?? [];
    list.push(toRecord(row));
    byMessage.set(row.message_id!, list);
  }
  return byMessage;
}

export function updateAttachment(db: Db, id: string, patch: AttachmentPatch, at: number): AttachmentRecord {
  const keys = (Object.keys(patch) as (keyof AttachmentPatch)[]).filter((k) => patch[k] !== undefined);
  const sets = keys.map((k) => `${PATCH_COLUMNS[k]} = ?`);
  stmt(db, `UPDATE attachments SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ?`).run(...keys.map((k) => patch[k] ?? null), at, id);
  const record = getAttachment(db, id);
  if (!record) throw new AppError('NOT_FOUND', `Attachment ${id} does not exist`);
  return record;
}

export interface ThreadMediaItem {
  attachment: Attachment;
  messageId: string;
  createdAt: number;
}

/**
 * A page of a thread's downloaded files, newest message first (then newest file of a message first). The cursor is
 * (message time, attachment id); `media_count > 0` is spelled as in messages_thread_media so that index is used.
 */
export function listThreadAttachments(db: Db, threadId: string, options: { limit?: number; before?: string } = {}): { items: ThreadMediaItem[]; nextCursor: string | null } {
  const limit = options.limit ?? 60;
  const params: (string | number)[] = [threadId];
  let keyset = '';
  if (options.before !== undefined) {
    const cursor = decodeCursor(options.before);
    // The first clause lets the index seek; the row comparison breaks ties between files of one instant.
    keyset = 'AND m.created_at <= ? AND (m.created_at, a.id) < (?, ?)';
    params.push(cursor.ts, cursor.ts, cursor.id);
  }
  const rows = stmt(
    db,
    `SELECT ${COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')}, m.created_at AS message_at
     FROM messages m JOIN attachments a ON a.message_id = m.id
     WHERE m.thread_id = ? AND m.media_count > 0 AND a.state = 'ready' ${keyset}
     ORDER BY m.created_at DESC, a.id DESC LIMIT ?`,
  ).all(...params, limit + 1) as (AttachmentRow & { message_at: number })[];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({ attachment: toAttachment(toRecord(row)), messageId: row.message_id!, createdAt: row.message_at })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.message_at, last.id) : null,
  };
}

/** Links staged attachments to a new message, in the given order; refuses unknown or already-sent ones. */
export function linkAttachments(db: Db, messageId: string, attachmentIds: readonly string[], at: number): void {
  const link = stmt(db, 'UPDATE attachments SET message_id = ?, position = ?, updated_at = ? WHERE id = ? AND message_id IS NULL');
  attachmentIds.forEach((id, position) => {
    if (link.run(messageId, position, at, id).changes !== 1) {
      throw new AppError('CONFLICT', `Attachment ${id} is not a staged attachment (it was never uploaded, was removed, or was already sent)`);
    }
  });
}

/** Inbound files still to download (after a restart, or once retries are due). */
export function listPendingDownloads(db: Db): AttachmentRecord[] {
  const rows = stmt(
    db,
    `SELECT ${COLUMNS} FROM attachments WHERE state = 'pending' AND remote_url IS NOT NULL AND message_id IS NOT NULL ORDER BY created_at`,
  ).all() as AttachmentRow[];
  return rows.map(toRecord);
}

/**
 * Downloaded or staged pictures without a pixel size, after `afterId` in id order: those stored before sizes were
 * recorded (migration 019), and those whose size could not be read.
 */
export function listUnmeasuredPictures(db: Db, afterId: string, limit: number): AttachmentRecord[] {
  const rows = stmt(
    db,
    `SELECT ${COLUMNS} FROM attachments
     WHERE id > ? AND state = 'ready' AND path IS NOT NULL AND width IS NULL AND content_type LIKE 'image/%'
     ORDER BY id LIMIT ?`,
  ).all(afterId, limit) as AttachmentRow[];
  return rows.map(toRecord);
}

/** Attachments belonging to no message created before `before`: staged and abandoned, or of a deleted message. */
export function listOrphanAttachments(db: Db, before: number): AttachmentRecord[] {
  const rows = stmt(db, `SELECT ${COLUMNS} FROM attachments WHERE message_id IS NULL AND created_at < ?`).all(before) as AttachmentRow[];
  return rows.map(toRecord);
}

/** Every file path the database refers to, for a GC pass over the media folder. */
export function listAttachmentPaths(db: Db): Set<string> {
  const rows = stmt(db, 'SELECT path FROM attachments WHERE path IS NOT NULL').pluck().all() as string[];
  return new Set(rows);
}

export function deleteAttachment(db: Db, id: string): boolean {
  return stmt(db, 'DELETE FROM attachments WHERE id = ?').run(id).changes === 1;
}

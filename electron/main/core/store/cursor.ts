import { AppError } from '../../../../shared/ipc/errors';

/** A keyset position: the sort time and the id that breaks ties. */
export interface Cursor {
  ts: number;
  id: string;
}

/** Cursors are opaque to clients: base64url of `${ts}:${id}`. */
export function encodeCursor(ts: number, id: string): string {
  return Buffer.from(`${ts}:${id}`, 'utf8').toString('base64url');
}

/** Strict: anything that is not exactly what encodeCursor makes is refused, never half-understood. */
export function decodeCursor(cursor: string): Cursor {
  const match = /^(0|[1-9]\d{0,15}):([0-9A-Za-z_-]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const ts = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(ts) || encodeCursor(ts, match[2]!) !== cursor) {
    throw new AppError('INVALID_INPUT', 'Invalid page cursor: pass back a nextCursor, olderCursor or newerCursor exactly as received');
  }
  return { ts, id: match[2]! };
}

import type { Db } from './database';
import { stmt } from './database';

/** What makes a callback distinct (REFERENCE.md §6): message id, type, top-level `to` (the recipient) and time. */
export interface CallbackIdentity {
  messageId: string;
  type: string;
  to: string;
  time: string;
}

/**
 * Records a callback as seen; false when it was seen before (Bandwidth delivers at least once).
 * Run it in the same transaction as the callback's effects, so a crash cannot record one without the other.
 */
export function recordCallbackEvent(db: Db, event: CallbackIdentity, receivedAt: number): boolean {
  const key = JSON.stringify([event.messageId, event.type, event.to, event.time]);
  return stmt(db, 'INSERT INTO callback_events (dedupe_key, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(key, receivedAt).changes === 1;
}

/** Forgets callbacks received before `before`; Bandwidth retries for 24 h, so keep well over that. */
export function pruneCallbackEvents(db: Db, before: number): number {
  return stmt(db, 'DELETE FROM callback_events WHERE received_at < ?').run(before).changes;
}

import { assertNever } from '../ipc/errors';
import type { MessageStatus } from '../ipc/schemas';

/**
 * The life of an outbound message (or of one recipient of a group message), which only ever moves forward:
 *   scheduled → queued → sending → accepted → sent → no-receipt → delivered | failed
 * Every step may be skipped (an SMS goes accepted → delivered; a 4xx goes sending → failed). Callbacks are
 * at-least-once and unordered, so a duplicate or late event that would move a status backwards is ignored.
 * A send that the queue retries after a 429/5xx stays `sending` while it waits.
 * `no-receipt` (no final receipt in time) is not final: a late delivered/failed still settles it.
 * `received` belongs to inbound messages and never changes.
 */
export type StatusAction =
  /** Progress observed by the queue, a status callback or reconciliation. */
  | { type: 'advance'; status: MessageStatus }
  /** The agent pressed retry: the only way back from `failed`. */
  | { type: 'retry' };

const RANK: Record<MessageStatus, number> = {
  scheduled: 0,
  queued: 1,
  sending: 2,
  accepted: 3,
  sent: 4,
  'no-receipt': 5,
  delivered: 6,
  failed: 6,
  received: 6,
};

export function isFinalStatus(status: MessageStatus): boolean {
  return status === 'delivered' || status === 'failed' || status === 'received';
}

export function reduceStatus(current: MessageStatus, action: StatusAction): MessageStatus {
  switch (action.type) {
    case 'retry':
      return current === 'failed' ? 'queued' : current;
    case 'advance': {
      const next = action.status;
      if (isFinalStatus(current) || next === 'received') return current;
      // Only a message Bandwidth has taken can be missing its receipt.
      if (next === 'no-receipt' && current !== 'accepted' && current !== 'sent') return current;
      return RANK[next] > RANK[current] ? next : current;
    }
    default:
      return assertNever(action);
  }
}

export interface DeliverySummary {
  /** The status of the message as a whole. */
  status: MessageStatus;
  total: number;
  delivered: number;
  failed: number;
  /** Recipients without a final status yet. */
  pending: number;
}

/**
 * The overall status of a message sent to several recipients (one delivery each), for the bubble's tick:
 * - while any recipient is not final, the least advanced of those (the message is only as far as its slowest copy);
 * - once all are final: `failed` only if every recipient failed (then a retry re-sends to all of them), else
 *   `delivered`. A partial failure therefore shows as delivered with `failed > 0`: the UI flags it from the counts
 *   and lists each recipient, and retry stays off, so recipients who got the message never get it twice.
 */
export function summarizeDeliveries(statuses: readonly MessageStatus[]): DeliverySummary {
  if (statuses.length === 0) throw new RangeError('summarizeDeliveries: a message has at least one recipient');
  const delivered = statuses.filter((s) => s === 'delivered').length;
  const failed = statuses.filter((s) => s === 'failed').length;
  const open = statuses.filter((s) => !isFinalStatus(s));
  const counts = { total: statuses.length, delivered, failed, pending: open.length };
  if (open.length > 0) {
    const slowest = open.reduce((a, b) => (RANK[b] < RANK[a] ? b : a));
    return { status: slowest, ...counts };
  }
  return { status: failed === statuses.length ? 'failed' : 'delivered', ...counts };
}

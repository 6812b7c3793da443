import { CARRIER_OPT_OUT } from '../../../../shared/domain/errorCodes';
import type { Db } from './database';
import { stmt } from './database';

/** keyword: the customer texted STOP; carrier: Bandwidth reported error 4775; manual: the agent set it. */
export type OptOutSource = 'keyword' | 'carrier' | 'manual';

export interface OptOut {
  ourNumber: string;
  number: string;
  /** When it happened: a STOP's own message time, a 4775's failure time, the moment the agent set it. */
  optedOutAt: number;
  source: OptOutSource;
}

/** Opts `number` out of messages from `ourNumber`; repeating it keeps the first time. Threads are flagged by trigger. */
export function addOptOut(db: Db, optOut: OptOut): void {
  stmt(db, 'INSERT INTO opt_outs (our_number, number, opted_out_at, source) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
    optOut.ourNumber,
    optOut.number,
    optOut.optedOutAt,
    optOut.source,
  );
}

/** Opts back in (START, UNSTOP, YES); false when the number was not opted out. */
export function removeOptOut(db: Db, ourNumber: string, number: string): boolean {
  return stmt(db, 'DELETE FROM opt_outs WHERE our_number = ? AND number = ?').run(ourNumber, number).changes === 1;
}

/**
 * Bandwidth delivers callbacks in no set order (REFERENCE.md §6), so opt-outs and opt-ins are applied in the order
 * they happened, not the order they arrive: one older than the latest applied (migration 016) changes nothing. The rule
 * is the same whatever the source. A carrier 4775 is not undone by a START sent before the failure, nor does a 4775
 * older than a START undo it; an agent's opt-out (timed when set) stands against the customer's earlier START but not
 * a later one, which is their consent again. Changes with the same time (Bandwidth may give whole seconds) apply in
 * the order they arrive, the best guess there is.
 * Records `at` as the pair's latest change, unless a later one was applied (false then).
 */
function becomesLatest(db: Db, ourNumber: string, number: string, at: number): boolean {
  const latest = stmt(db, 'SELECT changed_at FROM opt_out_times WHERE our_number = ? AND number = ?').pluck().get(ourNumber, number) as number | undefined;
  if (latest !== undefined && at < latest) return false;
  stmt(db, 'INSERT INTO opt_out_times (our_number, number, changed_at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET changed_at = excluded.changed_at').run(ourNumber, number, at);
  return true;
}

/** Opts out as of `optOut.optedOutAt` unless a later change was applied; false when it was older and changed nothing. */
export function recordOptOut(db: Db, optOut: OptOut): boolean {
  if (!becomesLatest(db, optOut.ourNumber, optOut.number, optOut.optedOutAt)) return false;
  addOptOut(db, optOut);
  return true;
}

/** Opts back in as of `at` (a START's message time) unless a later change was applied; false when it was older. */
export function recordOptIn(db: Db, ourNumber: string, number: string, at: number): boolean {
  if (!becomesLatest(db, ourNumber, number, at)) return false;
  removeOptOut(db, ourNumber, number);
  return true;
}

/**
 * A delivery from `ourNumber` to `recipient` failed with `errorCode` at `at`, as a status callback or reconciliation
 * learnt it: 4775 means the recipient opted out of this sender (PRODUCT.md §2.9, REFERENCE.md §8).
 */
export function deliveryFailed(db: Db, failure: { ourNumber: string; recipient: string; errorCode: number | null; at: number }): void {
  if (failure.errorCode === CARRIER_OPT_OUT) recordOptOut(db, { ourNumber: failure.ourNumber, number: failure.recipient, optedOutAt: failure.at, source: 'carrier' });
}

/** Which of `numbers` have opted out of `ourNumber`: checked before a send is queued. */
export function optedOutAmong(db: Db, ourNumber: string, numbers: readonly string[]): string[] {
  return stmt(db, 'SELECT number FROM opt_outs WHERE our_number = ? AND number IN (SELECT value FROM json_each(?)) ORDER BY number')
    .pluck()
    .all(ourNumber, JSON.stringify(numbers)) as string[];
}

export function listOptOuts(db: Db, ourNumber?: string): OptOut[] {
  const rows = (
    ourNumber === undefined
      ? stmt(db, 'SELECT our_number, number, opted_out_at, source FROM opt_outs ORDER BY our_number, number').all()
      : stmt(db, 'SELECT our_number, number, opted_out_at, source FROM opt_outs WHERE our_number = ? ORDER BY number').all(ourNumber)
  ) as { our_number: string; number: string; opted_out_at: number; source: OptOutSource }[];
  return rows.map((r) => ({ ourNumber: r.our_number, number: r.number, optedOutAt: r.opted_out_at, source: r.source }));
}

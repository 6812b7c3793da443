import type { Db } from './database';
import { stmt } from './database';

/** keyword: the customer texted STOP; carrier: Bandwidth reported error 4775; manual: the agent set it. */
export type OptOutSource = 'keyword' | 'carrier' | 'manual';

export interface OptOut {
  ourNumber: string;
  number: string;
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

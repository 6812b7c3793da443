import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { runMigrations } from './migrations';
import { migrations } from './migrations/index';
import { deliveryFailed, listOptOuts, optedOutAmong, recordOptIn, recordOptOut } from './optOuts';

const OURS = '+19195550100';
const OTHER_OURS = '+19195550101';
const ANN = '+19195551234';

describe('opt-outs and opt-ins applied in the order they happened', () => {
  const temp = useTempDatabase('sb-opt-outs-');
  const optedOut = () => optedOutAmong(temp.db, OURS, [ANN]).length === 1;
  const stop = (at: number) => recordOptOut(temp.db, { ourNumber: OURS, number: ANN, optedOutAt: at, source: 'keyword' });
  const start = (at: number) => recordOptIn(temp.db, OURS, ANN, at);

  it('ignore a keyword older than the latest one applied, whichever arrives first', () => {
    expect(stop(20)).toBe(true);
    expect(start(10)).toBe(false);
    expect(optedOut()).toBe(true);
    expect(start(30)).toBe(true);
    expect(optedOut()).toBe(false);
    expect(stop(25)).toBe(false);
    expect(optedOut()).toBe(false);
    // Per pair of numbers: the same customer texting another of our numbers is a separate matter.
    expect(recordOptIn(temp.db, OTHER_OURS, ANN, 1)).toBe(true);
  });

  it('apply changes with the same time in the order they arrive', () => {
    expect(start(10)).toBe(true);
    expect(stop(10)).toBe(true);
    expect(optedOut()).toBe(true);
    expect(start(10)).toBe(true);
    expect(optedOut()).toBe(false);
  });

  it('survive a restart, the time of the last START included', () => {
    stop(10);
    start(20);
    temp.reopen();
    expect(stop(15)).toBe(false);
    expect(optedOut()).toBe(false);
  });

  it('record a 4775 as a carrier opt-out at the failure time, and no other code', () => {
    deliveryFailed(temp.db, { ourNumber: OURS, recipient: ANN, errorCode: 4720, at: 5 });
    deliveryFailed(temp.db, { ourNumber: OURS, recipient: ANN, errorCode: null, at: 5 });
    expect(optedOut()).toBe(false);
    deliveryFailed(temp.db, { ourNumber: OURS, recipient: ANN, errorCode: 4775, at: 50 });
    expect(listOptOuts(temp.db)).toEqual([{ ourNumber: OURS, number: ANN, optedOutAt: 50, source: 'carrier' }]);
    // A START sent before the failure does not undo it; one sent after does.
    expect(start(40)).toBe(false);
    expect(optedOut()).toBe(true);
    expect(start(60)).toBe(true);
    // A failure older than that START does not opt them out again.
    deliveryFailed(temp.db, { ourNumber: OURS, recipient: ANN, errorCode: 4775, at: 55 });
    expect(optedOut()).toBe(false);
  });
});

describe('migration 016', () => {
  it('counts opt-outs recorded before it from when they were recorded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-opt-outs-016-'));
    const db = new Database(join(dir, 'switchboard.db'));
    try {
      runMigrations(db, migrations.slice(0, 15));
      db.prepare("INSERT INTO opt_outs VALUES (?, ?, 100, 'keyword')").run(OURS, ANN);
      runMigrations(db, migrations.slice(0, 16));
      expect(recordOptIn(db, OURS, ANN, 90)).toBe(false);
      expect(optedOutAmong(db, OURS, [ANN])).toEqual([ANN]);
      expect(recordOptIn(db, OURS, ANN, 110)).toBe(true);
      expect(optedOutAmong(db, OURS, [ANN])).toEqual([]);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { groupCommit } from './groupCommit';
import { getSetting, setSetting } from './settings';
import { z } from 'zod';

describe('groupCommit', () => {
  const temp = useTempDatabase('sb-group-');

  it('writes the calls of one turn in one transaction, each resolving after it, and announces once', async () => {
    const db = temp.db;
    const announced: number[][] = [];
    let transactions = 0;
    const write = groupCommit(
      db,
      (n: number) => {
        if (!db.inTransaction) throw new Error('outside a transaction');
        setSetting(db, `k${n}`, z.number(), n);
        return n * 10;
      },
      (results) => {
        transactions++;
        announced.push(results);
      },
    );
    await expect(Promise.all([write(1), write(2), write(3)])).resolves.toEqual([10, 20, 30]);
    expect(transactions).toBe(1);
    expect(announced).toEqual([[10, 20, 30]]);
    expect(getSetting(db, 'k2', z.number())).toBe(2);
  });

  it('when one write fails, the others are committed alone and only that caller gets the error', async () => {
    const db = temp.db;
    const write = groupCommit(
      db,
      (n: number) => {
        setSetting(db, `k${n}`, z.number(), n);
        if (n === 2) throw new Error('bad write');
        return n;
      },
      () => {},
    );
    const results = await Promise.allSettled([write(1), write(2), write(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(getSetting(db, 'k1', z.number())).toBe(1);
    expect(getSetting(db, 'k2', z.number())).toBeUndefined();
    expect(getSetting(db, 'k3', z.number())).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import { groupCommit } from './groupCommit';
import { getSetting, setSetting } from './settings';
import { z } from 'zod';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('groupCommit', () => {
  const temp = useTempDatabase('sb-group-');

  it('writes the calls of one turn in one transaction, each resolving after it, and announces once, after the callers go on', async () => {
    const db = temp.db;
    const announced: number[][] = [];
    const order: string[] = [];
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
        order.push('announced');
      },
    );
    const written = Promise.all([write(1), write(2), write(3)]).then((results) => (order.push('resolved'), results));
    await expect(written).resolves.toEqual([10, 20, 30]);
    await nextTurn();
    expect(order).toEqual(['resolved', 'announced']);
    expect(transactions).toBe(1);
    expect(announced).toEqual([[10, 20, 30]]);
    expect(getSetting(db, 'k2', z.number())).toBe(2);
  });

  it('tells no one of a group when the database closed before its turn came (the app stopping)', async () => {
    const announced: number[][] = [];
    const write = groupCommit(temp.db, (n: number) => setSetting(temp.db, `k${n}`, z.number(), n), () => void announced.push([]));
    await write(1);
    const reopened = temp.reopen();
    await nextTurn();
    expect(announced).toEqual([]);
    expect(getSetting(reopened, 'k1', z.number())).toBe(1);
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

  it('runs `also` in each group\'s transaction after its writes, and what it returns once that has committed', async () => {
    const db = temp.db;
    const seen: string[] = [];
    const write = groupCommit(
      db,
      (n: number) => setSetting(db, `k${n}`, z.number(), n),
      () => seen.push('after'),
      (items) => {
        seen.push(`also ${items.join(',')} ${db.inTransaction ? 'inside' : 'outside'}`);
        setSetting(db, 'claimed', z.number(), items.length);
        return () => seen.push(`committed ${db.inTransaction ? 'inside' : 'outside'} ${getSetting(db, 'claimed', z.number())}`);
      },
    );
    await Promise.all([write(1), write(2)]);
    await nextTurn();
    expect(seen).toEqual(['also 1,2 inside', 'committed outside 2', 'after']);
  });

  it('when `also` fails, its writes roll back with the group and the writes are committed alone', async () => {
    const db = temp.db;
    const write = groupCommit(
      db,
      (n: number) => setSetting(db, `k${n}`, z.number(), n),
      () => {},
      (): (() => void) => {
        setSetting(db, 'claimed', z.number(), 1);
        throw new Error('claim failed');
      },
    );
    await expect(Promise.all([write(1), write(2)])).resolves.toHaveLength(2);
    expect([getSetting(db, 'k1', z.number()), getSetting(db, 'k2', z.number())]).toEqual([1, 2]);
    expect(getSetting(db, 'claimed', z.number())).toBeUndefined();
  });
});

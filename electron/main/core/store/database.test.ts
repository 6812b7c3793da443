import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import type { Db } from './database';
import { transaction } from './database';
import { getSetting, setSetting } from './settings';

function writeBoth(db: Db, first: number, second: number): number {
  setSetting(db, 'first', z.number(), first);
  if (second < 0) throw new Error('bad second value');
  setSetting(db, 'second', z.number(), second);
  return first + second;
}

describe('transaction', () => {
  const temp = useTempDatabase('sb-database-');
  const read = (key: string) => getSetting(temp.db, key, z.number());

  it('wraps a function once per connection and passes its arguments and result through', () => {
    expect(transaction(temp.db, writeBoth)).toBe(transaction(temp.db, writeBoth));
    expect(transaction(temp.db, writeBoth)(temp.db, 1, 2)).toBe(3);
    expect([read('first'), read('second')]).toEqual([1, 2]);
  });

  it('writes all or nothing, and inside another transaction undoes only its own part', () => {
    expect(() => transaction(temp.db, writeBoth)(temp.db, 5, -1)).toThrow('bad second value');
    expect(read('first')).toBeUndefined();
    temp.db.transaction(() => {
      setSetting(temp.db, 'outer', z.number(), 7);
      expect(() => transaction(temp.db, writeBoth)(temp.db, 5, -1)).toThrow('bad second value');
    })();
    expect([read('outer'), read('first')]).toEqual([7, undefined]);
  });
});

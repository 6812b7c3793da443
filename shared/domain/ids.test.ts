import { describe, expect, it } from 'vitest';
import { LOCAL_ID_PATTERN, idTime, newId } from './ids';

describe('newId', () => {
  it('makes 26-character ids that carry their creation time', () => {
    const id = newId(1_764_000_000_123);
    expect(id).toMatch(LOCAL_ID_PATTERN);
    expect(idTime(id)).toBe(1_764_000_000_123);
  });

  it('sorts by time as plain strings', () => {
    const times = [0, 1, 31, 32, 999, 1_000_000, 1_764_000_000_000, 1_764_000_000_001, 2 ** 45];
    const ids = times.map((t) => newId(t));
    expect([...ids].reverse().sort()).toEqual(ids);
  });

  it('does not repeat within one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId(5)));
    expect(ids.size).toBe(10_000);
  });

  it('refuses times it cannot encode and strings that are not ids', () => {
    expect(() => newId(-1)).toThrow(RangeError);
    expect(() => newId(1.5)).toThrow(RangeError);
    expect(() => idTime('not-an-id')).toThrow(RangeError);
  });
});

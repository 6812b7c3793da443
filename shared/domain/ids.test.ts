import { describe, expect, it } from 'vitest';
import { LOCAL_ID_PATTERN, newId } from './ids';

describe('newId', () => {
  it('makes 26-character ids that start with their creation time', () => {
    const id = newId(1_764_000_000_123);
    expect(id).toMatch(LOCAL_ID_PATTERN);
    expect(id.slice(0, 10)).toBe(newId(1_764_000_000_123).slice(0, 10));
    expect(id.slice(0, 10)).not.toBe(newId(1_764_000_000_124).slice(0, 10));
    expect(newId(0).slice(0, 10)).toBe('0000000000');
    expect(newId(31).slice(0, 10)).toBe('000000000Z');
  });

  it('sorts by time as plain strings', () => {
    const times = [0, 1, 31, 32, 999, 1_000_000, 1_764_000_000_000, 1_764_000_000_001, 2 ** 45];
    const ids = times.map((t) => newId(t));
    expect([...ids].reverse().sort()).toEqual(ids);
  });

  it('does not repeat within one millisecond, and keeps the order they were made in', () => {
    const ids = Array.from({ length: 10_000 }, () => newId(5));
    expect(new Set(ids).size).toBe(10_000);
    expect([...ids].sort()).toEqual(ids);
  });

  it('starts from a fresh random part in a new millisecond', () => {
    const [a, b] = [newId(7), newId(8)];
    expect(a.slice(10)).not.toBe(b.slice(10));
    expect(b > a).toBe(true);
  });

  it('refuses times it cannot encode', () => {
    expect(() => newId(-1)).toThrow(RangeError);
    expect(() => newId(1.5)).toThrow(RangeError);
  });
});

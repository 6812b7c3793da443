import { describe, expect, it } from 'vitest';
import { parseBandwidthTime } from './time';

describe('Bandwidth times', () => {
  it('reads seconds, milliseconds and microseconds, and refuses what is not a zoned date-time', () => {
    expect(parseBandwidthTime('2016-09-14T18:20:16Z')).toBe(Date.UTC(2016, 8, 14, 18, 20, 16));
    expect(parseBandwidthTime('2020-03-27T15:01:22.646Z')).toBe(Date.UTC(2020, 2, 27, 15, 1, 22, 646));
    expect(parseBandwidthTime('2024-09-14T18:20:11.160744Z')).toBe(Date.UTC(2024, 8, 14, 18, 20, 11, 160));
    expect(parseBandwidthTime('2024-09-14T20:20:11+02:00')).toBe(Date.UTC(2024, 8, 14, 18, 20, 11));
    expect(parseBandwidthTime('2024-09-14T18:20:11')).toBeNull();
    expect(parseBandwidthTime('2024-13-14T18:20:11Z')).toBeNull();
    expect(parseBandwidthTime('yesterday')).toBeNull();
  });
});

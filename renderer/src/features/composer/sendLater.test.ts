import { describe, expect, it } from 'vitest';
import { whenLabel } from '../ui/dates';
import { laterProblem } from './sendLater';

const at = (y: number, mo: number, d: number, h: number, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

describe('whenLabel', () => {
  // A Thursday.
  const now = at(2026, 11, 26, 12, 0);
  it('says today, tomorrow, a weekday within the week, else the date', () => {
    expect(whenLabel(at(2026, 11, 26, 12, 32), now)).toMatch(/^today 12:32\sPM$/);
    expect(whenLabel(at(2026, 11, 27, 0, 5), now)).toMatch(/^tomorrow 12:05\sAM$/);
    expect(whenLabel(at(2026, 11, 25, 9, 0), now)).toMatch(/^yesterday 9:00\sAM$/);
    expect(whenLabel(at(2026, 11, 30, 9, 0), now)).toMatch(/^Mon 9:00\sAM$/);
    expect(whenLabel(at(2026, 12, 3, 9, 0), now)).toMatch(/^Dec 3, 9:00\sAM$/);
    expect(whenLabel(at(2020, 1, 1, 10, 0), now)).toMatch(/^Jan 1, 2020, 10:00\sAM$/);
  });
});

describe('laterProblem', () => {
  const now = at(2026, 11, 26, 12, 0);
  it('refuses a time that has passed, or none, in words', () => {
    expect(laterProblem(at(2020, 1, 1, 10, 0), now)).toMatch(/^That time \(Jan 1, 2020, 10:00\sAM\) has passed: pick a time in the future\.$/);
    expect(laterProblem(now, now)).toMatch(/has passed/);
    expect(laterProblem(Number.NaN, now)).toBe('Pick a date and a time.');
    expect(laterProblem(now + 60_000, now)).toBeNull();
  });
});

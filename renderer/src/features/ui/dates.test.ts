import { describe, expect, it } from 'vitest';
import { clockTime, dateTime, longDate, longDateYear, shortDate, shortDateYear, shortWeekday, weekdayTime } from './dates';

describe('cached date formats', () => {
  // The formatters replaced Date#toLocale*String calls; they must print exactly what those printed.
  it.each([new Date(2026, 10, 26, 9, 5, 7).getTime(), new Date(2024, 0, 3, 21, 59, 1).getTime()])('match toLocale*String for %i', (t) => {
    const d = new Date(t);
    expect(clockTime(t)).toBe(d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' }));
    expect(dateTime(t)).toBe(d.toLocaleString());
    expect(weekdayTime(t)).toBe(d.toLocaleString(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' }));
    expect(shortWeekday(t)).toBe(d.toLocaleDateString(undefined, { weekday: 'short' }));
    expect(shortDate(t)).toBe(d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }));
    expect(shortDateYear(t)).toBe(d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: '2-digit' }));
    expect(longDate(t)).toBe(d.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric' }));
    expect(longDateYear(t)).toBe(d.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }));
  });
});

/**
 * Date formatting for lists and bubbles. `Date#toLocale*String` builds a new Intl.DateTimeFormat on every call
 * (tenths of a millisecond each, the largest cost of rendering a bubble or a thread row), so each format used
 * while scrolling is built once, in the same default locale and with the options those calls used.
 */
const formatter = (options: Intl.DateTimeFormatOptions) => {
  const format = new Intl.DateTimeFormat(undefined, options);
  return (t: number) => format.format(t);
};

/** "9:05 AM" */
export const clockTime = formatter({ hour: 'numeric', minute: '2-digit' });
/** What `toLocaleString()` shows: "11/26/2026, 9:05:00 AM". */
export const dateTime = formatter({ year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
/** "Thu 9:05 AM" */
export const weekdayTime = formatter({ weekday: 'short', hour: 'numeric', minute: '2-digit' });
/** "Thu" */
export const shortWeekday = formatter({ weekday: 'short' });
/** "Nov 26", or "Nov 26, 25" with the year. */
export const shortDate = formatter({ month: 'short', day: 'numeric' });
export const shortDateYear = formatter({ month: 'short', day: 'numeric', year: '2-digit' });
/** "Thursday, November 26", or with the year. */
export const longDate = formatter({ weekday: 'long', month: 'long', day: 'numeric' });
export const longDateYear = formatter({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });

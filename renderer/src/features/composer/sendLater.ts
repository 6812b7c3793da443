import { whenLabel } from '../ui/dates';

/** Why a send-later time picked in the popover cannot be used, in words; null when it can. */
export function laterProblem(at: number, now: number): string | null {
  if (!Number.isFinite(at)) return 'Pick a date and a time.';
  if (at <= now) return `That time (${whenLabel(at, now)}) has passed: pick a time in the future.`;
  return null;
}

import type { NumberClass } from '../ipc/schemas';

/** Toll-free MMS may be 525 KB in all; local and 10DLC MMS 3.75 MB (REFERENCE.md §4). */
export const MMS_TOTAL_LIMIT = { tollFree: 525 * 1024, other: 3.75 * 1024 * 1024 };

/**
 * AT&T and T-Mobile cap MMS at about 1 MB: a larger photo would be accepted by Bandwidth and then fail (4711), so
 * the engine resizes pictures over it as it stages them (which the composer says while it waits).
 */
export const IMAGE_TARGET_BYTES = 1024 * 1024;

export const mmsTotalLimit = (senderClass: NumberClass) => (senderClass === 'toll-free' ? MMS_TOTAL_LIMIT.tollFree : MMS_TOTAL_LIMIT.other);

/**
 * Why a message's files are too large for its sender, in one unit (the limit's) so the two figures compare at a
 * glance; null when they fit. Said the same way by the composer, before sending, and by the engine, which enforces it.
 */
export function mmsTooLarge(total: number, senderClass: NumberClass): string | null {
  const limit = mmsTotalLimit(senderClass);
  if (total <= limit) return null;
  const inMb = limit >= 1024 * 1024;
  const size = (bytes: number) => (inMb ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${Math.round(bytes / 1024)} KB`);
  const sender = senderClass === 'toll-free' ? 'a toll-free number' : 'this number';
  return `The files add up to ${size(total)}; a message from ${sender} may carry at most ${size(limit)}.`;
}

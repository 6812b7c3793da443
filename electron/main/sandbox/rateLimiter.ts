/**
 * Bandwidth's send queue (REFERENCE.md §7): every accepted message waits in one account-wide queue and leaves it
 * no faster than its number's class rate and the account rate allow, both counted in segments (a group counts
 * once per recipient). The queue holds rate × queueSeconds units; past that a send gets 429.
 */
import type { NumberClass, OwnedNumber } from './model';

export interface RateOptions {
  classRates: Record<NumberClass, number>;
  accountMps: number;
  queueSeconds: number;
}

export const DEFAULT_CLASS_RATES: Record<NumberClass, number> = { local: 1, 'toll-free': 3, '10dlc': 10, 'short-code': 100 };

export type Admission = { ok: true; dequeueAt: number } | { ok: false; rate: number; capacity: number };

export class RateLimiter {
  private readonly numberFreeAt = new Map<string, number>();
  private accountFreeAt = 0;
  /** Units still waiting, with the time each batch leaves the queue. */
  private queued: { leavesAt: number; units: number }[] = [];

  constructor(private readonly options: RateOptions) {}

  get capacity(): number {
    return Math.floor(this.options.accountMps * this.options.queueSeconds);
  }

  rateOf(number: OwnedNumber): number {
    return number.mps ?? this.options.classRates[number.class];
  }

  /** Takes `units` (segments × recipients) from `from` into the queue, or refuses when the queue is full. */
  admit(from: OwnedNumber, units: number, now: number): Admission {
    this.queued = this.queued.filter((entry) => entry.leavesAt > now);
    const waiting = this.queued.reduce((sum, entry) => sum + entry.units, 0);
    if (waiting + units > this.capacity) return { ok: false, rate: this.options.accountMps, capacity: this.capacity };
    const start = Math.max(now, this.numberFreeAt.get(from.number) ?? 0, this.accountFreeAt);
    this.numberFreeAt.set(from.number, start + (units / this.rateOf(from)) * 1000);
    this.accountFreeAt = start + (units / this.options.accountMps) * 1000;
    this.queued.push({ leavesAt: start, units });
    return { ok: true, dequeueAt: start };
  }
}

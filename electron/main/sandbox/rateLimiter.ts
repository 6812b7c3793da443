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
  /** Units the account dequeues in each wall-clock second (key: epoch second). */
  private readonly accountUse = new Map<number, number>();
  /** Units still waiting, with the time each batch leaves the queue. */
  private queued: { leavesAt: number; units: number }[] = [];

  constructor(private readonly options: RateOptions) {
    const rates = [options.accountMps, ...Object.values(options.classRates)];
    if (rates.some((rate) => !(rate > 0))) throw new Error('Every rate (accountMps, classRates) must be positive');
  }

  get capacity(): number {
    return Math.floor(this.options.accountMps * this.options.queueSeconds);
  }

  rateOf(number: OwnedNumber): number {
    return number.mps ?? this.options.classRates[number.class];
  }

  /** Takes `units` (segments × recipients) from `from` into the queue, or refuses when the queue is full. */
  admit(from: OwnedNumber, units: number, now: number): Admission {
    this.queued = this.queued.filter((entry) => entry.leavesAt > now);
    for (const second of this.accountUse.keys()) if (second < Math.floor(now / 1000)) this.accountUse.delete(second);
    const waiting = this.queued.reduce((sum, entry) => sum + entry.units, 0);
    if (waiting + units > this.capacity) return { ok: false, rate: this.options.accountMps, capacity: this.capacity };
    // The number's own pace first, then the first seconds in which the account still has room for the units.
    const earliest = Math.max(now, this.numberFreeAt.get(from.number) ?? 0);
    let start: number | null = null;
    let remaining = units;
    for (let second = Math.floor(earliest / 1000); remaining > 0; second += 1) {
      const used = this.accountUse.get(second) ?? 0;
      const take = Math.min(this.options.accountMps - used, remaining);
      if (take <= 0) continue;
      this.accountUse.set(second, used + take);
      start ??= Math.max(earliest, second * 1000);
      remaining -= take;
    }
    const dequeueAt = start ?? earliest;
    this.numberFreeAt.set(from.number, dequeueAt + (units / this.rateOf(from)) * 1000);
    this.queued.push({ leavesAt: dequeueAt, units });
    return { ok: true, dequeueAt };
  }
}

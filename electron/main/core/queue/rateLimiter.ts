import type { NumberClass } from '../../../../shared/ipc/schemas';

/** Messages (segments) per second by number class, when the account does not say otherwise (REFERENCE.md §7). */
export const DEFAULT_MPS: Record<NumberClass, number> = { local: 1, 'toll-free': 3, '10dlc': 10, 'short-code': 100 };

/**
 * One rate as a GCRA ("virtual scheduling") bucket: a send of `cost` units moves the theoretical arrival
 * time forward by cost/rate; a send is allowed when that time is no more than `burst` units ahead of now.
 * Equivalent to a token bucket, with one number of state and exact waits.
 */
class Gcra {
  private tat = 0;
  constructor(
    private readonly ratePerMs: number,
    private readonly burstMs: number,
  ) {}
  wait(now: number): number {
    return Math.max(0, this.tat - this.burstMs - now);
  }
  take(now: number, cost: number): void {
    this.tat = Math.max(this.tat, now) + cost / this.ratePerMs;
  }
  /**
   * When the last send of a backlog may go, if it is sent as fast as allowed from `start` on: `cost` units in all, the
   * last send `last` of them. Each send moves the arrival time on by its cost, and the last one waits for all but its own.
   */
  lastSendAt(start: number, cost: number, last: number): number {
    return Math.max(start, Math.max(this.tat, start) + (cost - last) / this.ratePerMs - this.burstMs);
  }
}

/** A number's sends still to take: `cost` units in all, the cheapest send `cheapest`, none before `start` and the last not before `lastDue`. */
export interface Backlog {
  from: string;
  start: number;
  cost: number;
  cheapest: number;
  lastDue: number;
}

export interface RateLimiterConfig {
  numbers: { number: string; mps: number }[];
  accountMps?: number | undefined;
}

/** Throttles sends per sender number and across the account; costs are in segments (× recipients). */
export class RateLimiter {
  private readonly perNumber = new Map<string, Gcra>();
  private readonly account: Gcra | null;

  constructor(config: RateLimiterConfig) {
    // A burst of one second's worth: a full bucket after idling, as Bandwidth's per-second rates allow.
    for (const { number, mps } of config.numbers) this.perNumber.set(number, new Gcra(mps / 1000, 1000));
    this.account = config.accountMps ? new Gcra(config.accountMps / 1000, 1000) : null;
  }

  /** Milliseconds until a send from `from` may go; 0 means now. Unknown numbers go at the slowest class rate. */
  wait(from: string, now: number): number {
    return Math.max(this.bucket(from).wait(now), this.account?.wait(now) ?? 0);
  }

  /** Records a send that is going now. */
  take(from: string, cost: number, now: number): void {
    this.bucket(from).take(now, cost);
    this.account?.take(now, cost);
  }

  /**
   * When the first and the last of these backlogs' sends may go, each number at its rate and all of them within the
   * account's, given what the rates have already taken (sends in flight included). Changes nothing. The cheapest send is
   * taken to go last, so the estimate errs late by at most one send's cost.
   */
  estimate(backlogs: readonly Backlog[]): { first: number; last: number } | null {
    if (backlogs.length === 0) return null;
    let first = Infinity;
    let last = -Infinity;
    for (const b of backlogs) {
      const bucket = this.bucket(b.from);
      first = Math.min(first, Math.max(bucket.lastSendAt(b.start, 0, 0), this.account?.lastSendAt(b.start, 0, 0) ?? 0));
      last = Math.max(last, bucket.lastSendAt(b.start, b.cost, b.cheapest), b.lastDue);
    }
    if (this.account) {
      const start = Math.min(...backlogs.map((b) => b.start));
      const cost = backlogs.reduce((sum, b) => sum + b.cost, 0);
      last = Math.max(last, this.account.lastSendAt(start, cost, Math.min(...backlogs.map((b) => b.cheapest))));
    }
    return { first, last };
  }

  private bucket(from: string): Gcra {
    let bucket = this.perNumber.get(from);
    if (!bucket) {
      bucket = new Gcra(DEFAULT_MPS.local / 1000, 1000);
      this.perNumber.set(from, bucket);
    }
    return bucket;
  }
}

/** What one message costs against the rates: segments per recipient; MMS and group count 1 per recipient. */
export function sendCost(segments: number, recipients: number, isMms: boolean): number {
  return (isMms ? 1 : Math.max(1, segments)) * recipients;
}

import { describe, expect, it } from 'vitest';
import { RateLimiter, sendCost } from './rateLimiter';
import { backoffMs, DEFAULT_RETRY } from './retryPolicy';

/** Drives the limiter the way the queue does: send when wait() is 0, else advance the clock by the wait. */
function simulate(limiter: RateLimiter, sends: { from: string; cost: number }[]) {
  let now = 0;
  const times: number[] = [];
  for (const send of sends) {
    now += limiter.wait(send.from, now);
    limiter.take(send.from, send.cost, now);
    times.push(now);
  }
  return times;
}

describe('RateLimiter', () => {
  it('holds a local number to 1 segment per second after its one-second burst', () => {
    const limiter = new RateLimiter({ numbers: [{ number: '+1', mps: 1 }] });
    const times = simulate(limiter, Array.from({ length: 5 }, () => ({ from: '+1', cost: 1 })));
    expect(times).toEqual([0, 0, 1000, 2000, 3000]);
  });

  it('counts segments: a 3-segment message costs three seconds of a 1 mps number', () => {
    const limiter = new RateLimiter({ numbers: [{ number: '+1', mps: 1 }] });
    expect(simulate(limiter, [{ from: '+1', cost: 3 }, { from: '+1', cost: 1 }, { from: '+1', cost: 1 }])).toEqual([0, 2000, 3000]);
  });

  it('keeps numbers independent, but the account cap applies across them', () => {
    const free = new RateLimiter({ numbers: [{ number: '+1', mps: 1 }, { number: '+2', mps: 1 }] });
    expect(simulate(free, [{ from: '+1', cost: 1 }, { from: '+2', cost: 1 }, { from: '+1', cost: 1 }, { from: '+2', cost: 1 }])).toEqual([0, 0, 0, 0]);
    const capped = new RateLimiter({ numbers: [{ number: '+1', mps: 10 }, { number: '+2', mps: 10 }], accountMps: 2 });
    const times = simulate(capped, Array.from({ length: 6 }, (_, i) => ({ from: i % 2 ? '+2' : '+1', cost: 1 })));
    expect(times).toEqual([0, 0, 0, 500, 1000, 1500]);
  });

  it('achieves the configured rate over a long run', () => {
    const limiter = new RateLimiter({ numbers: [{ number: '+1', mps: 3 }] });
    const times = simulate(limiter, Array.from({ length: 301 }, () => ({ from: '+1', cost: 1 })));
    // Send n goes at n/3 s less the one-second burst: the 301st (n = 300) at 99 s.
    expect(times.at(-1)).toBeCloseTo(99_000, 6);
  });

  describe('estimate (when a backlog will have gone, without sending it)', () => {
    const backlog = (from: string, costs: number[], start = 0) => ({ from, start, cost: costs.reduce((a, b) => a + b, 0), cheapest: Math.min(...costs), lastDue: start });

    it('counts every segment at the number’s own rate, not the account’s', () => {
      const costs = [2, 2, 2, 2];
      const limiter = () => new RateLimiter({ numbers: [{ number: '+1', mps: 1 }, { number: '+2', mps: 100 }], accountMps: 100 });
      const times = simulate(limiter(), costs.map((cost) => ({ from: '+1', cost })));
      expect(limiter().estimate([backlog('+1', costs)])).toEqual({ first: 0, last: times.at(-1) });
      expect(times.at(-1)).toBe(5000);
    });

    it('starts from what the rates have already taken (sends in flight) and from a pause', () => {
      const limiter = new RateLimiter({ numbers: [{ number: '+1', mps: 1 }] });
      limiter.take('+1', 3, 0);
      // The bucket is 3 s ahead: the next send waits 2 s, then 1 + 1 more.
      expect(limiter.estimate([backlog('+1', [1, 1])])).toEqual({ first: 2000, last: 3000 });
      expect(limiter.estimate([backlog('+1', [1, 1], 10_000)])).toEqual({ first: 10_000, last: 10_000 });
    });

    it('holds the numbers together to the account cap, and waits for a job backed off until later', () => {
      const costs = [1, 1, 1];
      const limiter = () => new RateLimiter({ numbers: [{ number: '+1', mps: 10 }, { number: '+2', mps: 10 }], accountMps: 2 });
      const times = simulate(limiter(), Array.from({ length: 6 }, (_, i) => ({ from: i % 2 ? '+2' : '+1', cost: 1 })));
      expect(limiter().estimate([backlog('+1', costs), backlog('+2', costs)])).toEqual({ first: 0, last: times.at(-1) });
      expect(limiter().estimate([{ ...backlog('+1', costs), lastDue: 30_000 }])?.last).toBe(30_000);
      expect(limiter().estimate([])).toBeNull();
    });
  });

  it('costs MMS and groups once per recipient, SMS per segment per recipient', () => {
    expect(sendCost(3, 1, false)).toBe(3);
    expect(sendCost(3, 4, true)).toBe(4);
    expect(sendCost(2, 3, false)).toBe(6);
  });
});

describe('backoffMs', () => {
  const fixed = (r: number) => ({ ...DEFAULT_RETRY, random: () => r });
  it('doubles per attempt within [ceiling/2, ceiling) and caps', () => {
    expect(backoffMs(0, fixed(0))).toBe(500);
    expect(backoffMs(3, fixed(0))).toBe(4000);
    expect(backoffMs(3, fixed(0.999))).toBeLessThan(8000);
    expect(backoffMs(50, fixed(0.5))).toBe(Math.round(DEFAULT_RETRY.maxMs * 0.75));
  });
  it('honours Retry-After as a floor', () => {
    expect(backoffMs(0, fixed(0), 30_000)).toBe(30_000);
    expect(backoffMs(10, fixed(0), 1000)).toBeGreaterThan(1000);
  });
});

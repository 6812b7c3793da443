import { describe, expect, it } from 'vitest';
import { DEFAULT_CLASS_RATES, RateLimiter } from './rateLimiter';

const local = { number: '+19195550100', class: 'local' as const };
const local2 = { number: '+19195550101', class: 'local' as const };
const tollFree = { number: '+18885550102', class: 'toll-free' as const };

describe('RateLimiter', () => {
  it('paces each number at its class rate, counted in segments', () => {
    const limiter = new RateLimiter({ classRates: DEFAULT_CLASS_RATES, accountMps: 100, queueSeconds: 900 });
    const t = 1_000_000;
    expect(limiter.admit(local, 1, t)).toEqual({ ok: true, dequeueAt: t });
    expect(limiter.admit(local, 3, t)).toEqual({ ok: true, dequeueAt: t + 1000 });
    expect(limiter.admit(local, 1, t)).toEqual({ ok: true, dequeueAt: t + 4000 });
    // Another number is not held up by the first one's backlog.
    expect(limiter.admit(local2, 1, t)).toMatchObject({ dequeueAt: t });
    // Toll-free: 3 segments per second.
    expect(limiter.admit(tollFree, 3, t)).toMatchObject({ dequeueAt: t });
    expect(limiter.admit(tollFree, 1, t)).toMatchObject({ dequeueAt: t + 1000 });
  });

  it('lets the account rate override faster number rates and a per-number mps override the class', () => {
    const limiter = new RateLimiter({ classRates: DEFAULT_CLASS_RATES, accountMps: 2, queueSeconds: 900 });
    const fast = { number: '+19195550103', class: '10dlc' as const, mps: 50 };
    expect(limiter.rateOf(fast)).toBe(50);
    expect(limiter.admit(fast, 4, 0)).toMatchObject({ dequeueAt: 0 });
    expect(limiter.admit(fast, 1, 0)).toMatchObject({ dequeueAt: 2000 });
  });

  it('refuses once the queue holds rate × queueSeconds units, and frees space as it drains', () => {
    const limiter = new RateLimiter({ classRates: DEFAULT_CLASS_RATES, accountMps: 1, queueSeconds: 2 });
    expect(limiter.capacity).toBe(2);
    expect(limiter.admit(local, 1, 0).ok).toBe(true); // leaves at once
    expect(limiter.admit(local, 1, 0).ok).toBe(true); // waits until 1000
    expect(limiter.admit(local, 1, 0).ok).toBe(true); // waits until 2000
    expect(limiter.admit(local, 1, 0)).toEqual({ ok: false, rate: 1, capacity: 2 });
    expect(limiter.admit(local, 1, 1500).ok).toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
afterEach(() => vi.useRealTimers());

describe('throttle', () => {
  it('runs soon after a first call, then at most once per period while calls keep coming, and after the last one', () => {
    let runs = 0;
    const t = throttle(() => runs++, 100);
    t.call();
    t.call();
    expect(runs).toBe(0);
    vi.advanceTimersByTime(0);
    expect(runs).toBe(1);
    // A burst of calls within the period: one run, at its end.
    for (let i = 0; i < 50; i++) {
      t.call();
      vi.advanceTimersByTime(1);
    }
    expect(runs).toBe(1);
    vi.advanceTimersByTime(50);
    expect(runs).toBe(2);
    // Quiet for longer than a period: the next call runs at once again.
    vi.advanceTimersByTime(500);
    t.call();
    vi.advanceTimersByTime(0);
    expect(runs).toBe(3);
  });

  it('asks a function period after each run, so a run that grows costly can space itself out', () => {
    let runs = 0;
    let every = 100;
    const t = throttle(() => runs++, () => every);
    t.call();
    vi.advanceTimersByTime(0);
    every = 1000;
    t.call();
    vi.advanceTimersByTime(999);
    expect(runs).toBe(1);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(2);
    t.cancel();
  });

  it('cancel drops a pending run', () => {
    let runs = 0;
    const t = throttle(() => runs++, 100);
    t.call();
    t.cancel();
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

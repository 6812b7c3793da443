import { describe, expect, it } from 'vitest';
import { queueLabel } from './queueLabel';

describe('queueLabel', () => {
  it('says how many are queued and when the queue will be empty', () => {
    expect(queueLabel({ depth: 0, scheduled: 0, nextSendAt: null, drainedBy: null }, 0)).toBe('Queue empty');
    // The engine's depth counts scheduled jobs too.
    expect(queueLabel({ depth: 2, scheduled: 2, nextSendAt: null, drainedBy: null }, 0)).toBe('Queue empty · 2 scheduled');
    expect(queueLabel({ depth: 5, scheduled: 2, nextSendAt: 1000, drainedBy: 3000 }, 0)).toBe('3 queued, all sent in 3 s · 2 scheduled');
    expect(queueLabel({ depth: 12, scheduled: 0, nextSendAt: 1000, drainedBy: 12_000 }, 0)).toBe('12 queued, all sent in 12 s');
    expect(queueLabel({ depth: 500, scheduled: 0, nextSendAt: 1000, drainedBy: 500_000 }, 0)).toBe('500 queued, all sent in 8 min');
  });
});

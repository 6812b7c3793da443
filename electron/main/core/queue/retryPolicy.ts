/** How long to wait before attempt `attempt + 1` of a send that failed in a retryable way. */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** Random in [0, 1), injected so tests are exact. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1000, maxMs: 5 * 60_000, random: Math.random };

/**
 * Exponential back-off with "equal jitter" (half fixed, half random), so many queued messages hitting one
 * 429 do not come back in lock-step. A server's Retry-After is honoured as a floor.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, retryAfterMs?: number | null): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  const delay = ceiling / 2 + policy.random() * (ceiling / 2);
  return Math.max(Math.round(delay), retryAfterMs ?? 0);
}

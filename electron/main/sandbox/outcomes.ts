/**
 * What happens to an outbound message at each destination. Delivery by default; the documented test numbers
 * +1 919 555 CCCC fail with error code CCCC (the table below, from REFERENCE.md §6.2), so any failure can be
 * produced on purpose. A few failures also arise from the situation itself: a destination outside NANP (4432),
 * a customer who texted STOP (4775), media that is missing (4410) or too large (4411).
 */
import type { ListStatus } from './model';

export type Stage =
  /** Bandwidth refuses before sending: only message-failed, no message-sending/-sent. */
  | 'pre-send'
  /** The carrier refuses after hand-off: message-sent, then message-failed. */
  | 'carrier'
  /** No receipt within the window: message-sent, then 9902 late. */
  | 'receipt-timeout';

export interface Failure {
  code: number;
  description: string;
  stage: Stage;
}

export type Outcome = { kind: 'delivered' } | ({ kind: 'failed' } & Failure);

export const TEST_NUMBER_PREFIX = '+1919555';

const FAILURES: Record<number, [string, Stage]> = {
  4301: ['malformed-invalid-encoding', 'pre-send'],
  4350: ['malformed-for-destination', 'pre-send'],
  4360: ['message-expired', 'pre-send'],
  4401: ['rejected-routing-error', 'pre-send'],
  4404: ['rejected-forbidden-to-number', 'pre-send'],
  4406: ['rejected-unallocated-to-number', 'pre-send'],
  4410: ['media-unavailable', 'pre-send'],
  4411: ['media-content-invalid', 'pre-send'],
  4432: ['forbidden to country', 'pre-send'],
  4470: ['rejected-spam-detected', 'pre-send'],
  4700: ['invalid-service-type', 'carrier'],
  4702: ['destination-unavailable', 'carrier'],
  4720: ['invalid-destination-address', 'carrier'],
  4721: ['destination-number-deactivated', 'carrier'],
  4750: ['destination-rejected-message', 'carrier'],
  4770: ['destination-spam-detected', 'carrier'],
  4775: ['destination-rejected-due-to-user-opt-out', 'carrier'],
  4781: ['att-rate-limit-exceeded', 'carrier'],
  4785: ['message-volume-limit-exceeded', 'carrier'],
  5106: ['impossible-to-route', 'pre-send'],
  5600: ['destination-carrier-queue-full', 'carrier'],
  5620: ['destination-app-error', 'carrier'],
  9902: ['delivery-receipt-expired', 'receipt-timeout'],
};

export function failure(code: number): Failure {
  const [description, stage] = FAILURES[code] ?? ['unknown-error', 'carrier'];
  return { code, description, stage };
}

/** The documented test numbers: destination → error code. */
export function testNumbers(): { number: string; code: number; description: string }[] {
  return Object.keys(FAILURES).map((code) => ({ number: `${TEST_NUMBER_PREFIX}${code}`, code: Number(code), description: failure(Number(code)).description }));
}

export interface OutcomeInput {
  from: string;
  to: string;
  optedOut: boolean;
  /** Set when the message's media could not be fetched (4410) or is over the limit (4411), or it expired in the queue (4360). */
  problem?: 4360 | 4410 | 4411;
}

export function outcomeFor(input: OutcomeInput): Outcome {
  const code = (() => {
    if (!input.to.startsWith('+1')) return 4432;
    if (input.to === input.from) return 4401;
    if (input.problem) return input.problem;
    if (input.to.startsWith(TEST_NUMBER_PREFIX)) {
      const suffix = Number(input.to.slice(TEST_NUMBER_PREFIX.length));
      if (suffix in FAILURES) return suffix;
    }
    if (input.optedOut) return 4775;
    return null;
  })();
  return code === null ? { kind: 'delivered' } : { kind: 'failed', ...failure(code) };
}

/** How a terminal outcome shows in the list endpoint: carrier-reported failures are UNDELIVERED. */
export function finalListStatus(outcome: Outcome): ListStatus {
  if (outcome.kind === 'delivered') return 'DELIVERED';
  return outcome.stage === 'pre-send' ? 'FAILED' : 'UNDELIVERED';
}

import { explainErrorCode } from '../../../../shared/domain/errorCodes';
import type { Message } from '../../../../shared/ipc/schemas';

export interface LastFailure {
  number: string;
  /** Why, in plain words: the error's title, or Bandwidth's own words when there is no code. */
  reason: string;
}

/**
 * For each participant, whether the last message that reached a final state for them (delivered or failed) failed,
 * and why, from the loaded messages (oldest first, as the conversation holds them). The contact panel says so rather
 * than claiming the number can receive texts. A group message has one delivery per recipient; a one-to-one message
 * without deliveries stands for its recipient.
 */
export function lastFailures(messages: readonly Message[], participants: readonly string[]): LastFailure[] {
  const failures: LastFailure[] = [];
  for (const number of participants) {
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (m.direction !== 'out' || !m.to.includes(number)) continue;
      const delivery = m.deliveries.find((d) => d.recipient === number);
      const status = delivery?.status ?? m.status;
      if (status === 'delivered') break;
      if (status !== 'failed') continue;
      const code = delivery ? delivery.errorCode : m.errorCode;
      failures.push({ number, reason: code !== null ? `${explainErrorCode(code).title} Error ${code}.` : (m.errorDetail ?? 'No reason was given.') });
      break;
    }
  }
  return failures;
}

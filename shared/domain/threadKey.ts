import { AppError } from '../ipc/errors';
import { toE164 } from './phone';

/** Who a conversation is between: one of our numbers and the set of other participants, all in E.164. */
export interface ThreadKey {
  ourNumber: string;
  /** The other participants: normalised, deduplicated, sorted; never contains `ourNumber`. */
  participants: string[];
  /** `ourNumber>p1,p2,…`: equal for every way of writing the same numbers. */
  key: string;
}

function normalise(input: string): string {
  const e164 = toE164(input);
  if (!e164) throw new AppError('INVALID_INPUT', `"${input}" is not a valid phone number`);
  return e164;
}

/**
 * One thread per (our number, set of other participants). Our own number is dropped from the others, so an
 * inbound group message keys the same way whether it is built from `from` + `to` or from an outbound send's `to`.
 */
export function threadKey(ourNumber: string, others: readonly string[]): ThreadKey {
  return threadKeyOfE164(normalise(ourNumber), others.map(normalise));
}

/** threadKey for numbers already in E.164 (parsing a number is most of threadKey's cost). */
export function threadKeyOfE164(our: string, others: readonly string[]): ThreadKey {
  const participants = [...new Set(others)].filter((n) => n !== our).sort();
  if (participants.length === 0) throw new AppError('INVALID_INPUT', 'A conversation needs at least one other participant');
  return { ourNumber: our, participants, key: `${our}>${participants.join(',')}` };
}

import { formatPhone } from './phone';

/**
 * Bandwidth's message-failed error codes (REFERENCE.md §6.2) in plain words, with what to do and whether a retry
 * can help. The digits carry meaning, which is how unknown codes are explained too:
 * - first digit, who is at fault: 4 = the request (client), 5 = a service (server), 9 = ambiguous;
 * - second digit, who reported it: for 4xxx, 0/1/3/4 = Bandwidth and 7 = the carrier; for 5xxx, 1/2/5/9 = Bandwidth
 *   and 6 = the carrier.
 * Billing follows the reporter: carrier-reported and ambiguous failures are billed, Bandwidth-detected ones are not
 * (except 4470, Bandwidth's spam filter).
 */

export type Fault = 'client' | 'server' | 'ambiguous' | 'unknown';
export type Reporter = 'bandwidth' | 'carrier' | 'unknown';
/** `no`: sending again gives the same result until something changes; `yes`: a later retry can succeed;
 *  `once`: worth one more try, no more (carrier service failures, ambiguous outcomes). */
export type RetryAdvice = 'no' | 'yes' | 'once';

export interface ErrorExplanation {
  code: number;
  /** False when the code is not in Bandwidth's table and the words come from its digits. */
  known: boolean;
  /** What happened, in plain words. */
  title: string;
  /** What the agent (or the account's admin) can do about it. */
  action: string;
  retry: RetryAdvice;
  billable: boolean;
  fault: Fault;
  reportedBy: Reporter;
}

type Entry = readonly [title: string, action: string, retry?: RetryAdvice];

const FIX_NUMBER = 'Check the number and send again.';
const ADMIN = 'Ask your Bandwidth account admin to fix the account setup, then retry.';
const NO_SMS = 'Reach the customer another way (call or email).';

const TABLE: Record<number, Entry> = {
  // Bandwidth-detected client errors.
  4001: ['This service is not allowed for the account.', ADMIN],
  4301: ['The text could not be encoded.', 'Remove unusual characters and send again.'],
  4302: ['The sender number is malformed.', 'Pick a valid sender number.'],
  4303: ['The recipient number is malformed.', FIX_NUMBER],
  4350: ['The message failed at sending, usually because of a bad recipient number.', FIX_NUMBER],
  4360: ['The message expired before it could be sent.', 'Send it again if it is still relevant.'],
  4401: ['The message could not be routed (for example, sender and recipient are the same number).', 'Check the sender and recipient numbers.'],
  4403: ['The sender number is not on the account, not enabled for messaging, or disconnected.', ADMIN],
  4404: ['The recipient number cannot receive text messages.', NO_SMS],
  4405: ['The sender number is not allocated to any carrier.', ADMIN],
  4406: ['The recipient number is not in service (no carrier has it).', FIX_NUMBER],
  4407: ['The sender number is not configured on the account.', ADMIN],
  4408: ['The recipient number is not configured correctly.', FIX_NUMBER],
  4409: ['The recipient cannot receive this kind of message (often it does not support MMS).', 'Send text only, without attachments.'],
  4410: ['Bandwidth could not fetch the attached media.', 'Attach the file again and resend.'],
  4411: ['The attachments are too large in total.', 'Send smaller or fewer files.'],
  4412: ['An attachment type is not supported.', 'Send a common image, audio, video or PDF file instead.'],
  4420: ['No carrier is configured to reach this destination.', ADMIN],
  4421: ['The account is not allowed to send to this destination.', ADMIN],
  4431: ['The account is not enabled for short codes.', ADMIN],
  4432: ['The account is not enabled to send to this country or zone.', ADMIN],
  4433: ['The account is not enabled for toll-free messaging.', ADMIN],
  4434: ['The toll-free recipient is not enabled for messaging.', NO_SMS],
  4435: ['Too many recipients for a group message (more than 10).', 'Split the recipients into groups of 10 or fewer.'],
  4451: ['The account (user) id in the request is invalid.', 'Check the account id in Settings.'],
  4452: ['The messaging application id is invalid or belongs to another account.', 'Check the application id in Settings.'],
  4470: ["Bandwidth's spam filter blocked the message.", 'Rephrase the message (avoid link shorteners and spam-like wording) before sending again.'],
  4476: ['The sender number is not on a registered 10DLC campaign.', ADMIN],
  4481: ['The sender number is blocked.', ADMIN],
  4482: ['The recipient number is blocked.', NO_SMS],
  4492: ['Messages to emergency numbers are not allowed.', 'Do not text emergency numbers.'],
  4493: ['The sender is not authorized to send this message.', ADMIN],
  // Carrier-reported client errors.
  4700: ["The recipient's carrier or phone does not support text messages.", NO_SMS],
  4701: ["The recipient's phone cannot be reached.", 'Try again later.', 'yes'],
  4702: ["The recipient's phone is unavailable (switched off, out of coverage or storage full).", 'Try again later.', 'yes'],
  4711: ['The attachments are too large for the recipient\'s carrier.', 'Send smaller files.'],
  4712: ["The recipient's carrier does not support this attachment type.", 'Send a common image format or text only.'],
  4720: ['The recipient number cannot receive messages (a landline, or it blocks toll-free and short codes).', NO_SMS],
  4721: ['The recipient number has been deactivated.', 'Ask the customer for their current number.'],
  4730: ['The carrier has no route to the recipient (possibly roaming).', 'Try again later or reach the customer another way.'],
  4740: ['The carrier rejected the sender number as invalid.', ADMIN],
  4750: ['The carrier rejected the message without giving a reason.', 'Check the number and the content; contact Bandwidth support if it persists.'],
  4751: ['The carrier rejected the message because of its length.', 'Shorten the message.'],
  4752: ['The carrier rejected the message as malformed.', 'Simplify the message (plain text, no unusual characters).'],
  4753: ["The recipient's phone rejected the message.", NO_SMS],
  4770: ["The carrier's spam filter blocked the message.", 'Rephrase the message and avoid link shorteners; check the campaign registration.'],
  4771: ['The carrier blocked the message because it contains a public URL shortener.', 'Use full links on your own domain.'],
  4772: ['The sender or the recipient is blocked by the carrier.', NO_SMS],
  4773: ['The 10DLC campaign for this number is not active.', ADMIN],
  4774: ['The 10DLC campaign for this number is not provisioned correctly.', ADMIN],
  4775: ['The recipient has opted out of messages from this number (they texted STOP).', 'Do not message them again unless they text START.'],
  4780: ["T-Mobile's daily 10DLC limit for this brand was reached.", 'Try again tomorrow.', 'yes'],
  4781: ['AT&T throttled the 10DLC campaign (rate limit).', 'Try again later, more slowly.', 'yes'],
  4785: ['The carrier reports too many messages (volume limit).', 'Slow down and try again later.', 'yes'],
  4790: ['Short code messaging is not allowed to this recipient.', NO_SMS],
  4791: ['The short code campaign is not allowed.', ADMIN],
  4792: ['The short code is not provisioned with the carrier.', ADMIN],
  4793: ['The short code has expired.', ADMIN],
  4795: ['The toll-free number is not verified.', 'Ask your Bandwidth account admin to complete toll-free verification.'],
  // Bandwidth service failures.
  5100: ['A temporary Bandwidth application error.', 'Retry.'],
  5101: ['Bandwidth was shutting down when the message was handled.', 'Retry.'],
  5106: ['Bandwidth could not route the message, even after retries.', 'Retry later; contact Bandwidth support if it persists.'],
  5111: ['A connection inside Bandwidth closed.', 'Retry.'],
  5201: ['The message expired after Bandwidth retried it.', 'Retry later.'],
  5211: ['Bandwidth was too busy.', 'Retry later.'],
  5220: ['Bandwidth could not store the message.', 'Retry.'],
  5229: ['A Bandwidth provisioning error linking the number to its campaign.', 'Retry later; if it persists, ask your account admin to check the campaign.'],
  5231: ['Not all parts of the long message arrived at Bandwidth.', 'Retry.'],
  5500: ['A general sending failure further down the line.', 'Retry.'],
  5501: ['No destination was available for the message.', 'Retry later.'],
  5999: ['An unknown Bandwidth error.', 'Retry; contact Bandwidth support if it persists.'],
  // Carrier service failures.
  5600: ["The carrier's queue was full or throttled.", 'Retry once, a little later.'],
  5610: ['The carrier did not accept the message.', 'Retry once.'],
  5620: ['An error in the carrier\'s systems.', 'Retry once.'],
  5630: ['The carrier did not acknowledge the message.', 'Retry once.'],
  5650: ['The carrier could not deliver the message to the recipient.', 'Retry once; then reach the customer another way.'],
  // Ambiguous.
  9902: ['No delivery receipt came in time: the message may still have arrived.', 'Ask the customer before sending again, to avoid a duplicate.'],
  9999: ['The carrier reported an error Bandwidth does not recognise.', 'Retry once; contact Bandwidth support if it persists.'],
};

/** Every code in Bandwidth's table, for tests and documentation. */
export const KNOWN_ERROR_CODES: readonly number[] = Object.keys(TABLE).map(Number);

function fault(code: number): Fault {
  switch (Math.floor(code / 1000)) {
    case 4:
      return 'client';
    case 5:
      return 'server';
    case 9:
      return 'ambiguous';
    default:
      return 'unknown';
  }
}

function reporter(code: number): Reporter {
  const second = Math.floor(code / 100) % 10;
  const first = fault(code);
  if (first === 'client') return [0, 1, 3, 4].includes(second) ? 'bandwidth' : second === 7 ? 'carrier' : 'unknown';
  if (first === 'server') return [1, 2, 5, 9].includes(second) ? 'bandwidth' : second === 6 ? 'carrier' : 'unknown';
  return 'unknown';
}

/** The advice the digits give when the table says nothing more specific. */
function ruleOfThumb(f: Fault, by: Reporter): RetryAdvice {
  if (f === 'client') return 'no';
  if (f === 'server') return by === 'bandwidth' ? 'yes' : 'once';
  return 'once';
}

const WHO: Record<Reporter, string> = { bandwidth: 'Bandwidth', carrier: "the recipient's carrier", unknown: 'an unknown party' };

function unknownWords(f: Fault, by: Reporter): { title: string; action: string } {
  switch (f) {
    case 'client':
      return { title: `The message was refused by ${WHO[by]}: something about the message, the numbers or the account is not accepted.`, action: 'Check the recipient number, the content and the account setup; sending the same message again will fail the same way.' };
    case 'server':
      return { title: `A service failure at ${WHO[by]}.`, action: by === 'bandwidth' ? 'Retry.' : 'Retry once.' };
    case 'ambiguous':
      return { title: 'The outcome is unclear: the message may or may not have arrived.', action: 'Ask the customer before sending again, to avoid a duplicate.' };
    case 'unknown':
      return { title: 'An unrecognised error.', action: 'Contact Bandwidth support with the error code.' };
  }
}

export function explainErrorCode(code: number): ErrorExplanation {
  const f = fault(code);
  const by = reporter(code);
  const billable = code === 4470 || by === 'carrier' || f === 'ambiguous';
  const entry = Number.isInteger(code) ? TABLE[code] : undefined;
  if (entry) {
    const [title, action, retry = ruleOfThumb(f, by)] = entry;
    return { code, known: true, title, action, retry, billable, fault: f, reportedBy: by };
  }
  return { code, known: false, ...unknownWords(f, by), retry: f === 'unknown' ? 'no' : ruleOfThumb(f, by), billable, fault: f, reportedBy: by };
}

/** A failed message as its conversation explains it. */
export interface FailureExplanation {
  /** What happened, in plain words. */
  title: string;
  /** What the agent can do about it. */
  action: string;
  /** For support: the error code with Bandwidth's words for it, or Bandwidth's answer to the refused request. */
  detail: string | null;
  /** Whether a retry can help now (PRODUCT.md §2.5: retry re-sends for real when a retry can help). */
  canRetry: boolean;
}

/** The carrier's "recipient opted out" (REFERENCE.md §8): final until the recipient opts back in (texts START). */
export const CARRIER_OPT_OUT = 4775;

const OPTED_OUT_WHILE_WAITING = 'opted out (texted STOP) after this message was written.';

/**
 * Why a message that waited in the queue was not sent: a recipient opted out of its sender number meanwhile (the queue
 * checks as it takes each job). Its failure is recognised by these words, so write it with this function only.
 */
export const optedOutWhileWaiting = (numbers: readonly string[]) => `Not sent: ${numbers.map(formatPhone).join(', ')} ${OPTED_OUT_WHILE_WAITING}`;

const UNKNOWN_IF_SENT = 'so it is unknown whether it was sent.';

/**
 * Why a send whose outcome can no longer be learnt was given up (cut off, and Bandwidth's list cannot say whether it
 * got it): no automatic resend, as it could reach the customer twice. Recognised by these words, so write it with this.
 */
export const unknownIfSent = (why: string) =>
  `Sending this message was cut off before Bandwidth answered (the app stopped, or the connection broke) and ${why}, ${UNKNOWN_IF_SENT}`;

/** What explainFailure and retryUsedUp read of a failed message. */
export interface FailedMessage {
  errorCode: number | null;
  errorDetail: string | null;
  bandwidthId: string | null;
  /** How many times the agent has retried the message. */
  retries: number;
}

const USED_UP = 'It was retried once already and failed again: reach the customer another way, or contact Bandwidth support if this keeps happening.';

/**
 * Whether a failure worth one more try only (`once`: a carrier's service failure or an ambiguous outcome, where a
 * retry risks a duplicate; REFERENCE.md §6.2) has had that try: the agent retried this message before. Counting the
 * message's retries rather than per failure keeps the rule simple and errs on the side of no duplicate.
 */
export function retryUsedUp(message: FailedMessage): boolean {
  if (message.retries === 0) return false;
  if (message.errorCode !== null) return explainErrorCode(message.errorCode).retry === 'once';
  return message.bandwidthId !== null && !message.errorDetail?.endsWith(OPTED_OUT_WHILE_WAITING);
}

/**
 * The one rule for explaining a failed message and offering Retry.
 * - A recipient opted out, as the carrier reported (4775) or the queue found before sending (optedOutWhileWaiting):
 *   Retry only once `optedOut` says they opted back in.
 * - With an error code (a message-failed callback): the table's words, and Retry unless sending again gives the same
 *   result, or the code is worth one retry and the message had it (retryUsedUp).
 * - Without one, cut off and no longer to be looked up (unknownIfSent): the agent decides, warned of a duplicate.
 * - Without one, and never taken by Bandwidth: the request was refused for good (a 4xx: the queue retries 429, 5xx and
 *   network errors itself, PRODUCT.md §2.6) or could not be made, and the same request fails the same way. Not the
 *   carrier's doing: the detail says who refused it.
 * - Without one, but taken by Bandwidth: it failed later with no reason given; worth one more try (retryUsedUp).
 */
export function explainFailure(message: FailedMessage, optedOut: boolean): FailureExplanation {
  const { errorCode: code, errorDetail: words } = message;
  const usedUp = retryUsedUp(message);
  const optOutAction = (action: string) => (optedOut ? action : 'They have opted back in: you can retry.');
  if (code === null && words?.endsWith(OPTED_OUT_WHILE_WAITING)) {
    return { title: words, action: optOutAction('They must text START before you can message them again.'), detail: null, canRetry: !optedOut };
  }
  if (code !== null) {
    const e = explainErrorCode(code);
    const optOut = code === CARRIER_OPT_OUT;
    return {
      title: e.title,
      action: optOut ? optOutAction(e.action) : usedUp ? USED_UP : e.action,
      detail: `Error ${code}${words ? ` (${words})` : ''}`,
      canRetry: optOut ? !optedOut : e.retry !== 'no' && !usedUp,
    };
  }
  if (words?.endsWith(UNKNOWN_IF_SENT)) {
    return { title: 'It is unknown whether this message was sent.', action: 'Check with the customer before you retry: if it did go, they would get it twice.', detail: words, canRetry: true };
  }
  if (message.bandwidthId === null) {
    const advice = 'Sending it again would fail the same way: check the recipients and the text, and if they are right, ask your Bandwidth account admin to check the account setup.';
    // The reason comes first, in full: it is the one explanation there is.
    return { title: 'The message was not sent.', action: words ? `${words.replace(/\.$/, '')}. ${advice}` : advice, detail: null, canRetry: false };
  }
  return { title: 'The message was not delivered.', action: usedUp ? USED_UP : 'Retry once.', detail: words ? `Bandwidth said: ${words}` : null, canRetry: !usedUp };
}

import { AppError } from '../../../../shared/ipc/errors';
import { NO_RECEIPT_AFTER_MS } from '../../../../shared/ipc/schemas';

const MINUTE = 60_000;

/** The plain words for a number that is not one (the core says only that it is invalid). */
export const notTextable = (input: string) => `${input} is not a phone number we can text. Enter a US or Canadian number, or +country code and number.`;

/**
 * What an agent should read for a failed action. The core names what it checked ("contacts.upsert input: number:
 * …"): useful in a log, noise in a form, so that prefix goes; a number it refused is explained in plain words.
 */
export function plainError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof AppError) || error.code !== 'INVALID_INPUT') return message;
  return message
    .replace(/^(?:[\w.]+ input|setting "[^"]*"): /, '')
    .split('; ')
    .map((issue) => {
      const number = /^(?:[\w.]+: )?"(.*)" is not a valid phone number$/.exec(issue)?.[1];
      return number === undefined ? issue : notTextable(number);
    })
    .join(' ');
}

/** The no-receipt delay typed in minutes, as milliseconds, or what is wrong with it. */
export function noReceiptMinutes(text: string): { ms: number } | { error: string } {
  // Whole minutes from one: what agents mean by this setting (the core also takes seconds, for tests and tools).
  const [min, max] = [1, NO_RECEIPT_AFTER_MS.max / MINUTE];
  const minutes = text.trim() === '' ? NaN : Number(text);
  if (!Number.isInteger(minutes) || minutes < min || minutes > max) {
    return { error: `Enter a whole number of minutes from ${min} to ${max.toLocaleString('en-US')} (7 days).` };
  }
  return { ms: minutes * MINUTE };
}

/** A sending rate typed in messages per second: a positive, finite number. */
export const isRate = (text: string) => Number.isFinite(Number(text)) && Number(text) > 0;

import { toE164 } from '../../../shared/domain/phone';

/** An `sms:` link as the new-conversation screen needs it. */
export interface SmsLink {
  /** E.164 where the number is valid, else as written (the recipient field then shows why it is not). */
  to: string[];
  body: string;
}

const MAX_RECIPIENTS = 10; // Bandwidth's group limit
const MAX_BODY = 2048; // Bandwidth's text limit

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Parses `sms:` links as written in the wild: RFC 5724 (`sms:+15551234567,+15557654321?body=Hi%20there`), the
 * `sms://` form, iOS's `sms:+1555...&body=...`, and recipient parameters (`;via=...`), which are dropped.
 * Returns null for anything that is not an sms link.
 */
export function parseSmsLink(link: string): SmsLink | null {
  const match = /^sms:(?:\/\/)?([^?&]*)(?:[?&](.*))?$/is.exec(link.trim());
  if (!match) return null;
  const [, recipients = '', query = ''] = match;
  const to = decode(recipients)
    .split(',')
    .map((r) => r.split(';')[0]!.trim())
    .filter((r) => r !== '')
    .map((r) => toE164(r) ?? r)
    .filter((r, i, all) => all.indexOf(r) === i)
    .slice(0, MAX_RECIPIENTS);
  const bodyParam = query
    .split('&')
    .map((pair) => pair.split('='))
    .find(([key]) => key?.toLowerCase() === 'body');
  const body = bodyParam ? decode(bodyParam.slice(1).join('=')).slice(0, MAX_BODY) : '';
  return { to, body };
}

/** The first sms link among command-line arguments (a second launch, or the OS opening us as the handler). */
export function findSmsLink(argv: readonly string[]): SmsLink | null {
  for (const arg of argv) {
    const link = parseSmsLink(arg);
    if (link) return link;
  }
  return null;
}

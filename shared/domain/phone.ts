import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/** Normalises any way of writing a number to E.164 ("(919) 555-1234" → "+19195551234"); null when not a valid number. */
export function toE164(input: string, defaultCountry: 'US' = 'US'): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  return parsed?.isValid() ? parsed.number : null;
}

/** Display form: national for NANP ("(919) 555-1234"), international otherwise. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === '1' ? parsed.formatNational() : parsed.formatInternational();
}

/** A zod schema that accepts any writing of a valid number and outputs E.164. */
export const phoneNumber = z.string().transform((value, ctx) => {
  const e164 = toE164(value);
  if (!e164) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid phone number` });
    return z.NEVER;
  }
  return e164;
});

import { z } from 'zod';
import type { ErrorCode } from '../../../../shared/ipc/errors';
import { AppError } from '../../../../shared/ipc/errors';

export interface FieldError {
  fieldName: string;
  description: string;
}

/**
 * Why a Bandwidth call did not succeed. `retryable` follows REFERENCE.md §1/§7: 429, 5xx and network errors can be
 * retried, any other 4xx is final. `maybeSent` says a network error happened after the request may have reached
 * Bandwidth (the outcome of a send is then unknown and must be settled by looking it up, not by resending blindly).
 */
export type BandwidthFailure =
  | {
      kind: 'rejected';
      status: number;
      type: string;
      description: string;
      fieldErrors: FieldError[];
      retryable: boolean;
      retryAfterMs: number | null;
    }
  | { kind: 'network'; code: string; description: string; retryable: true; maybeSent: boolean };

function appErrorCode(failure: BandwidthFailure): ErrorCode {
  if (failure.kind === 'network' || failure.retryable) return 'UNAVAILABLE';
  if (failure.status === 401 || failure.status === 403) return 'UNAUTHORIZED';
  if (failure.status === 404) return 'NOT_FOUND';
  return 'INVALID_INPUT';
}

/** Thrown by the client methods that do not return a result union; carries the classified failure. */
export class BandwidthError extends AppError {
  constructor(
    readonly failure: BandwidthFailure,
    what: string,
  ) {
    super(appErrorCode(failure), `${what}: ${describeFailure(failure)}`);
  }
}

/**
 * One sentence for a failure, saying who answered: an HTTP rejection reads as Bandwidth's (it is not the carrier's;
 * carriers speak only through callbacks' error codes), with Bandwidth's words, the fields it names, and the status once.
 */
export function describeFailure(failure: BandwidthFailure): string {
  if (failure.kind === 'network') return failure.description;
  const { status } = failure;
  // Bandwidth's words without a status they carry themselves (the simulator's "Injected failure (HTTP 400)"): it is given once, below.
  const words = failure.description.replace(new RegExp(`\\s*\\(HTTP ${status}\\)`, 'g'), '').trim();
  const who = status >= 500 ? 'Bandwidth had a server error' : status >= 400 ? 'Bandwidth refused the request' : null;
  // The fallback words (STATUS_TEXT) already name Bandwidth.
  const said = !who || words.startsWith('Bandwidth') ? words : words ? `${who}: ${words}` : who;
  const fields = failure.fieldErrors.map((f) => `${f.fieldName}: ${f.description}`).join('; ');
  return `${said}${fields ? ` (${fields})` : ''} (HTTP ${status}${failure.type ? ` ${failure.type}` : ''})`;
}

/** Codes that undici/Node give when no byte of the request can have reached the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export function networkFailure(error: unknown, host: string): BandwidthFailure & { kind: 'network' } {
  const cause = (error as { cause?: unknown }).cause;
  const code = String((error as { code?: unknown }).code ?? (cause as { code?: unknown } | undefined)?.code ?? 'NETWORK_ERROR');
  const maybeSent = !NOT_SENT.has(code);
  const description = maybeSent
    ? `The connection to ${host} failed before an answer came (${code}).`
    : `Cannot reach ${host} (${code}). Check the address and your internet connection.`;
  return { kind: 'network', code, description, retryable: true, maybeSent };
}

/** Retry-After is integer seconds (REFERENCE.md §2.2) or, per HTTP, a date. */
export function parseRetryAfter(header: string | string[] | undefined, now: number): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const errorBody = z.object({
  type: z.string().optional(),
  description: z.string().optional(),
  // Spring-style 404 bodies (unknown path) use these instead.
  error: z.string().optional(),
  message: z.string().optional(),
  fieldErrors: z.array(z.object({ fieldName: z.string(), description: z.string() })).optional(),
});

const STATUS_TEXT: Record<number, string> = {
  400: 'Bandwidth refused the request as invalid',
  401: 'Bandwidth refused the credentials',
  403: 'The credentials are not allowed to do this on this account',
  404: 'Not found',
  429: 'Bandwidth is rate limiting requests',
};

/** Classifies a non-2xx answer from its status, Bandwidth's JSON error body (if any) and Retry-After. */
export function rejectedFailure(status: number, headers: Record<string, string | string[] | undefined>, body: string, now: number): BandwidthFailure & { kind: 'rejected' } {
  let parsed: z.infer<typeof errorBody> = {};
  try {
    const result = errorBody.safeParse(JSON.parse(body));
    if (result.success) parsed = result.data;
  } catch {
    // Not JSON (a proxy's HTML page, an XML Dashboard error): the status alone classifies it.
  }
  const retryable = status === 429 || status >= 500;
  return {
    kind: 'rejected',
    status,
    type: parsed.type ?? parsed.error ?? '',
    description: parsed.description ?? parsed.message ?? STATUS_TEXT[status] ?? (status >= 500 ? 'Bandwidth had a server error' : status >= 400 ? 'Bandwidth refused the request' : 'Bandwidth answered unexpectedly'),
    fieldErrors: parsed.fieldErrors ?? [],
    retryable,
    retryAfterMs: retryable ? parseRetryAfter(headers['retry-after'], now) : null,
  };
}

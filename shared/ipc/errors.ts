import type { z } from 'zod';

/** The one error taxonomy on the wire. Codes are stable; messages are for humans. */
export const ERROR_CODES = ['INVALID_INPUT', 'NOT_FOUND', 'UNAUTHORIZED', 'CONFLICT', 'UNAVAILABLE', 'OPTED_OUT', 'INTERNAL'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A failed parse at a boundary; the message lists every failing path ("to.0: Invalid phone number"). */
export class SchemaError extends AppError {
  constructor(
    readonly what: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super('INVALID_INPUT', `${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
  }
}

/** Parse, don't trust: every boundary goes through here so errors always name the field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new SchemaError(
    what,
    result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

export function assertNever(value: never): never {
  throw new AppError('INTERNAL', `Unexpected value: ${JSON.stringify(value)}`);
}

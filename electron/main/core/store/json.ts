import type { z } from 'zod';
import { parse, SchemaError } from '../../../../shared/ipc/errors';

/** JSON columns are parsed, not trusted, on the way out (ARCHITECTURE.md, convention 3). */
export function parseJsonColumn<S extends z.ZodType>(schema: S, text: string, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SchemaError(what, [{ path: '', message: 'not valid JSON' }]);
  }
  return parse(schema, value, what);
}

import type { z } from 'zod';
import { parse } from '../../../../shared/ipc/errors';
import type { Db } from './database';
import { stmt } from './database';
import { parseJsonColumn } from './json';

/** A stored setting, parsed with its schema; undefined when never set. A corrupt value throws a SchemaError naming the key. */
export function getSetting<S extends z.ZodType>(db: Db, key: string, schema: S): z.output<S> | undefined {
  const text = stmt(db, 'SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  return text === undefined ? undefined : parseJsonColumn(schema, text, `setting "${key}"`);
}

/** Validates before writing, so what is stored always reads back. */
export function setSetting<S extends z.ZodType>(db: Db, key: string, schema: S, value: z.input<S>): z.output<S> {
  const parsed = parse(schema, value, `setting "${key}"`);
  stmt(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(parsed));
  return parsed;
}

export function deleteSetting(db: Db, key: string): boolean {
  return stmt(db, 'DELETE FROM settings WHERE key = ?').run(key).changes === 1;
}

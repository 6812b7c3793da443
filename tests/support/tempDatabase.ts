import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type Db } from '../../electron/main/core/store/database';

/** A fresh, migrated SQLite file per test in a temp folder, removed afterwards. Read `.db` inside tests and hooks. */
export function useTempDatabase(prefix: string): { readonly db: Db; reopen(): Db } {
  let dir = '';
  let db: Db | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    db = openDatabase(dir);
  });
  afterEach(() => {
    db?.close();
    db = null;
    rmSync(dir, { recursive: true, force: true });
  });
  const current = () => {
    if (!db) throw new Error('useTempDatabase: the database exists only inside a test');
    return db;
  };
  return {
    get db() {
      return current();
    },
    /** Closes the file and opens it again, as a restart would. */
    reopen() {
      current().close();
      db = openDatabase(dir);
      return db;
    },
  };
}

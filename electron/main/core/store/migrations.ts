import type Database from 'better-sqlite3';
import { AppError } from '../../../../shared/ipc/errors';
import { migrations } from './migrations/index';

/**
 * Applies every pending migration in one transaction, tracking progress in PRAGMA user_version.
 * A database written by a newer Switchboard is refused rather than guessed at. `onUpgrade` hears, before the work
 * starts, that an existing database is being upgraded: at a million messages that takes seconds.
 */
export function runMigrations(db: Database.Database, list: readonly string[] = migrations, onUpgrade?: (from: number, to: number) => void): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > list.length) {
    throw new AppError(
      'CONFLICT',
      `This history database was written by a newer version of Switchboard (schema ${current}; this version knows up to ${list.length}). Update Switchboard to open it.`,
    );
  }
  if (current === list.length) return;
  if (current > 0) onUpgrade?.(current, list.length);
  db.transaction(() => {
    for (let version = current; version < list.length; version++) db.exec(list[version]!);
    db.pragma(`user_version = ${list.length}`);
  })();
}

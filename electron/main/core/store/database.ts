import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConsoleLogger } from '../platform/node';
import type { Logger } from '../platform/ports';
import { startCheckpointer } from './checkpointer';
import { runMigrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the history database in WAL mode with foreign keys on, and migrates it.
 * `nativeBinding` is the Electron-ABI build of better-sqlite3 in the packaged app (Node's own build otherwise).
 * synchronous=NORMAL in WAL keeps every committed transaction through a process crash (kill -9); only an OS
 * crash or power cut can lose the last commits. WAL checkpoints run on a worker thread (checkpointer.ts);
 * `db.close()` stops it.
 */
export function openDatabase(dataDir: string, nativeBinding?: string, logger: Logger = createConsoleLogger('database')): Db {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'switchboard.db');
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Statement journals (every trigger-driven UPDATE inside a transaction opens one) in memory, not in temp
    // files: on disk they cost ~14 pwrite calls per inserted message and halve the write rate.
    db.pragma('temp_store = MEMORY');
    // 64 MiB of page cache (the default is 2 MiB): a million messages' indexes stay in memory, so random-order index
    // inserts (imports, inbound messages) and searches stop re-reading pages. Pages are only taken as they are read.
    db.pragma('cache_size = -65536');
    const started = performance.now();
    let upgrading = false;
    runMigrations(db, undefined, (from, to) => {
      upgrading = true;
      logger.info('upgrading the history database; with a long history this takes a while, once', { from, to });
    });
    if (upgrading) logger.info('upgraded the history database', { ms: Math.round(performance.now() - started) });
    startCheckpointer(db, { file, nativeBinding, logger });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement, prepared once per connection: repositories run the same few SQL texts very often.
 * Modes such as pluck() stay set on the cached statement, so a given SQL text is always used the same way.
 */
export function stmt(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function's arguments and result pass through
type Fn = (...args: any[]) => unknown;
const transactions = new WeakMap<Db, Map<Fn, Fn>>();

/**
 * `fn` run as a transaction (a savepoint inside another one), wrapped once per connection: better-sqlite3 builds a
 * new wrapper on every db.transaction() call, which costs as much as a small insert on hot write paths. `fn` must be
 * a module-level function (its identity is the cache key).
 */
export function transaction<F extends Fn>(db: Db, fn: F): F {
  let cache = transactions.get(db);
  if (!cache) transactions.set(db, (cache = new Map()));
  let wrapped = cache.get(fn);
  if (!wrapped) cache.set(fn, (wrapped = db.transaction(fn)));
  return wrapped as F;
}

import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../platform/ports';

/** The worker's state, in slot 0 of the shared counters. */
const STARTING = 0;
const RUNNING = 1;
const STOPPING = 2;
const STOPPED = 3;
/** Slot 1 counts the checkpoints that found committed pages in the WAL. */
const CHECKPOINTS = 1;

/** SQLite's own automatic checkpoint threshold, in pages: what the connection goes back to without the worker. */
const AUTOCHECKPOINT_PAGES = 1000;
/**
 * The WAL size, in pages (250 MiB at 4 KiB), past which the connection checkpoints by itself even with the worker
 * running. Under a steady flood of writes (a callback storm) the WAL never starts over by the worker alone (see
 * below), so the connection reaches this; its checkpoint copies and syncs what the worker has not yet, on the main
 * thread. At 8,000 pages that was a ~50 ms stall every ~250 ms; at this size, one of ~100 ms every few seconds (the
 * raw committing server of the bench: 4.5k → 5.9k requests/s, p99 73 → 18 ms over a 12,000-request flood; the app's
 * inbound callbacks about +10%). The WAL file keeps its largest size until the database closes: cutting it back
 * (journal_size_limit) is a truncate on the main thread, which cost more than it saved.
 */
const BACKSTOP_PAGES = 64 * AUTOCHECKPOINT_PAGES;
/** How long close() waits for the worker to close its connection before it gives up on it. */
const STOP_TIMEOUT_MS = 5000;

/**
 * The worker, as a CommonJS script evaluated from a string: it runs the same way under tsx, vitest and the bundled
 * main process (nothing for a bundler to resolve), and loads better-sqlite3 from the path the main thread resolved.
 *
 * It runs PASSIVE checkpoints only, which take neither the write lock nor wait for readers: a checkpointer that
 * held the write lock (RESTART) would fail, with SQLITE_BUSY and no retry, any transaction of the connection that
 * reads before it writes.
 */
const WORKER = `
const { workerData } = require('node:worker_threads');
const { file, driver, nativeBinding, shared, busyMs, idleMs } = workerData;
const state = new Int32Array(shared);
let db;
try {
  const Database = require(driver);
  db = new Database(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  if (Atomics.compareExchange(state, 0, ${STARTING}, ${RUNNING}) === ${STARTING}) {
    let wait = busyMs;
    let version;
    while (Atomics.wait(state, 0, ${RUNNING}, wait) === 'timed-out') {
      // Polled often while other connections commit, so what is left for the connection's own checkpoint (the
      // backstop below) stays small; rarely when they do not.
      const seen = version;
      version = db.pragma('data_version', { simple: true });
      if (version === seen) {
        wait = Math.min(wait * 2, idleMs);
        continue;
      }
      wait = busyMs;
      const [{ busy, log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
      // The version also moves when a writer starts the WAL over, before it commits anything to copy.
      if (checkpointed > 0) Atomics.add(state, ${CHECKPOINTS}, 1);
      // Pages left behind (a reader still on them): try again at the next poll, even if nothing new commits.
      if (busy || checkpointed < log) version = undefined;
    }
  }
} finally {
  db?.close();
  Atomics.store(state, 0, ${STOPPED});
  Atomics.notify(state, 0);
}
`;

export interface CheckpointerOptions {
  /** The database file the connection has open (in WAL mode). */
  file: string;
  nativeBinding?: string;
  logger: Logger;
  /** Poll period while the WAL grows, and the longest one when it does not. */
  busyMs?: number;
  idleMs?: number;
}

export interface Checkpointer {
  readonly worker: Worker;
  /** Checkpoints that found committed pages in the WAL, so far. */
  checkpoints(): number;
  /** Closes the worker's connection and waits for it, so the caller's close is the last one (it removes the WAL). */
  stop(): void;
}

const checkpointers = new WeakMap<Database.Database, Checkpointer>();

/** The connection's checkpointer, if it has one. */
export function checkpointerOf(db: Database.Database): Checkpointer | undefined {
  return checkpointers.get(db);
}

/**
 * Moves the connection's WAL checkpoints to a worker thread with its own connection: a checkpoint copies pages back
 * into the database and fsyncs both files, which on the main thread stalled every callback behind it. `db.close()`
 * stops the worker first. If the worker fails or exits, the connection checkpoints by itself again.
 */
export function startCheckpointer(db: Database.Database, options: CheckpointerOptions): Checkpointer {
  const shared = new SharedArrayBuffer(8);
  const state = new Int32Array(shared);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      file: options.file,
      // Packaged, better-sqlite3 is also unpacked beside the asar (electron-builder.yml): the worker loads it from
      // there rather than rely on asar support in worker threads.
      driver: createRequire(import.meta.url).resolve('better-sqlite3').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1'),
      nativeBinding: options.nativeBinding,
      shared,
      busyMs: options.busyMs ?? 50,
      idleMs: options.idleMs ?? 250,
    },
  });
  // An open database must not keep the process alive by its worker alone.
  worker.unref();
  // Not 0: a WAL starts over only when a writer finds it wholly copied back, and under steady writes a commit
  // always lands while the worker copies. Past this size the connection checkpoints after its commit (only what
  // the worker has not copied yet), so its next write starts the WAL over; that also bounds the WAL if the worker
  // falls behind.
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let stopping = false;
  const fallBack = (reason: unknown) => {
    if (stopping) return;
    stopping = true;
    options.logger.error('the WAL checkpointer stopped; the database checkpoints on its own thread again', { error: String(reason) });
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('error', fallBack);
  worker.on('exit', (code) => fallBack(`exit code ${code}`));

  const checkpointer: Checkpointer = {
    worker,
    checkpoints: () => Atomics.load(state, CHECKPOINTS),
    stop() {
      if (stopping) return;
      stopping = true;
      if (Atomics.exchange(state, 0, STOPPING) === STOPPED) return;
      Atomics.notify(state, 0);
      // Synchronous, as db.close() is: the worker is between checkpoints or finishing one.
      if (Atomics.wait(state, 0, STOPPING, STOP_TIMEOUT_MS) === 'timed-out') {
        options.logger.error('the WAL checkpointer did not stop in time; terminating it');
        void worker.terminate();
      }
    },
  };
  checkpointers.set(db, checkpointer);
  const close = db.close.bind(db);
  // Every owner of a connection closes it with db.close(); the worker's connection must close first.
  db.close = () => {
    checkpointer.stop();
    return close();
  };
  return checkpointer;
}

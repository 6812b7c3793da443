import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../platform/ports';
import { checkpointerOf, startCheckpointer } from './checkpointer';
import { openDatabase } from './database';

const PAGE = 4096;

describe('WAL checkpointer', () => {
  let dir = '';
  let errors: string[] = [];
  const logger: Logger = { info: () => {}, warn: () => {}, error: (message) => errors.push(message) };
  const open: Database.Database[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-checkpointer-'));
    errors = [];
  });
  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A WAL database with a table t of one text column, and its checkpointer polling every `busyMs`/`idleMs`. */
  function walTable(busyMs: number, idleMs: number) {
    const file = join(dir, 'wal.db');
    const db = new Database(file);
    open.push(db);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x TEXT)');
    return { file, db, checkpointer: startCheckpointer(db, { file, logger, busyMs, idleMs }) };
  }

  it('checkpoints from its worker while the connection writes, so the WAL starts over and stays small', async () => {
    const { file, db, checkpointer } = walTable(2, 20);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(1000);
    const reader = new Database(file, { readonly: true });
    open.push(reader);
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    // About 200 pages a burst; 30 bursts would leave a WAL of 6,000 pages (24 MB) if nothing checkpointed it. A
    // burst that starts while the worker holds a read lock appends instead of starting over, hence the slack below.
    const burst = db.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run('x'.repeat(PAGE - 100));
    });
    for (let round = 1; round <= 30; round++) {
      const before = checkpointer.checkpoints();
      burst();
      await vi.waitFor(() => expect(checkpointer.checkpoints()).toBeGreaterThan(before), { timeout: 10_000, interval: 2 });
      // Readers see every commit throughout.
      expect(reader.prepare('SELECT count(*) FROM t').pluck().get()).toBe(round * 200);
    }
    expect(statSync(`${file}-wal`).size).toBeLessThan(2000 * PAGE);
    expect(errors).toEqual([]);
  });

  it('leaves a flood of writes to the worker: the connection does not copy it back on its own thread', async () => {
    // A worker that looks every half second, so the connection's own checkpoint (right after its commit) would come first.
    const { file, db, checkpointer } = walTable(500, 500);
    await vi.waitFor(() => expect(checkpointer.checkpoints()).toBe(1), { timeout: 10_000, interval: 5 });
    /** The WAL header's checkpoint sequence: it moves when the WAL starts over, which follows a complete copy. */
    const walRound = () => {
      const fd = openSync(`${file}-wal`, 'r');
      try {
        const header = Buffer.alloc(16);
        readSync(fd, header, 0, 16, 0);
        return header.readUInt32BE(12);
      } finally {
        closeSync(fd);
      }
    };
    // 12,000 pages (47 MiB) in one commit: past the old backstop of 8,000 the connection copied it all back itself,
    // on the main thread (under a flood, a ~50 ms stall every ~250 ms), so the next commit started the WAL over.
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 12_000; i++) insert.run('x'.repeat(PAGE - 100));
    })();
    const round = walRound();
    insert.run('next');
    expect(walRound()).toBe(round);
    // The worker copies it back instead; a commit after that starts the WAL over.
    await vi.waitFor(
      () => {
        insert.run('later');
        expect(walRound()).not.toBe(round);
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(errors).toEqual([]);
  });

  it('hands checkpoints back to the connection when the worker dies', async () => {
    const db = openDatabase(dir, undefined, logger);
    open.push(db);
    const { worker } = checkpointerOf(db)!;
    const exited = once(worker, 'exit');
    await worker.terminate();
    await exited;
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(errors).toEqual(['the WAL checkpointer stopped; the database checkpoints on its own thread again']);
    // And closing the connection afterwards is still clean.
    db.close();
    expect(existsSync(join(dir, 'switchboard.db-wal'))).toBe(false);
  });

  it('stops with db.close(): its connection is closed first, so the last one removes the WAL, and the thread ends', async () => {
    const db = openDatabase(dir, undefined, logger);
    open.push(db);
    const checkpointer = checkpointerOf(db)!;
    // Wait until the worker has its connection open, or close() would not have one to wait for.
    db.exec('CREATE TABLE t (x)');
    db.prepare('INSERT INTO t VALUES (1)').run();
    await vi.waitFor(() => expect(checkpointer.checkpoints()).toBeGreaterThan(0), { timeout: 10_000, interval: 5 });
    const exited = once(checkpointer.worker, 'exit');
    db.close();
    expect(existsSync(join(dir, 'switchboard.db-wal'))).toBe(false);
    expect(await exited).toEqual([0]);
    expect(errors).toEqual([]);
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/ipc/errors';
import { openDatabase } from '../../electron/main/core/store/database';
import type { Db } from '../../electron/main/core/store/database';
import { runMigrations } from '../../electron/main/core/store/migrations';
import { migrations } from '../../electron/main/core/store/migrations/index';

let dir: string;
let connections: Db[] = [];

/** A raw connection to the test file with the first `count` migrations applied. */
function connect(count = 0): Db {
  const db = new Database(join(dir, 'switchboard.db'));
  db.pragma('foreign_keys = ON');
  connections.push(db);
  runMigrations(db, migrations.slice(0, count));
  return db;
}

const schema = (db: Db) =>
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; sql: string }[];
const names = (db: Db, type: string) => schema(db).filter((o) => o.type === type).map((o) => o.name);
const version = (db: Db) => db.pragma('user_version', { simple: true });
const columns = (db: Db, table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

/** Minimal rows, in raw SQL: these tests check the schema itself, not the repositories. */
function addThread(db: Db, id = 't1', ourNumber = '+19195550100', participants = ['+19195551234']) {
  db.prepare('INSERT INTO threads (id, thread_key, our_number, participants, created_at, last_activity_at) VALUES (?, ?, ?, ?, 0, 0)').run(
    id,
    `${ourNumber}>${participants.join(',')}`,
    ourNumber,
    JSON.stringify(participants),
  );
  for (const p of participants) db.prepare('INSERT INTO thread_participants (thread_id, number) VALUES (?, ?)').run(id, p);
}
function addMessage(db: Db, id: string, fields: { thread?: string; text?: string; status?: string; direction?: string; at?: number } = {}) {
  db.prepare(
    `INSERT INTO messages (id, thread_id, direction, from_number, to_numbers, text, status, created_at, updated_at)
     VALUES (?, ?, ?, '+19195551234', '["+19195550100"]', ?, ?, ?, ?)`,
  ).run(id, fields.thread ?? 't1', fields.direction ?? 'in', fields.text ?? '', fields.status ?? 'received', fields.at ?? 1, fields.at ?? 1);
}
const thread = (db: Db, id = 't1') => db.prepare('SELECT * FROM threads WHERE id = ?').get(id) as Record<string, unknown>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-migrations-'));
  connections = [];
});
afterEach(() => {
  for (const db of connections) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runMigrations', () => {
  it('applies every migration to a new database and records it in user_version', () => {
    const db = connect(migrations.length);
    expect(version(db)).toBe(migrations.length);
    expect(names(db, 'table')).toEqual(expect.arrayContaining(['settings', 'threads', 'thread_participants', 'messages', 'deliveries', 'attachments', 'contacts', 'opt_outs', 'queue', 'callback_events', 'messages_fts']));
  });

  it('does nothing on a database that is up to date', () => {
    const db = connect(migrations.length);
    const before = schema(db);
    runMigrations(db);
    expect(schema(db)).toEqual(before);
  });

  it('upgrades a database from every earlier version to the same schema as a new one', () => {
    const fresh = schema(connect(migrations.length));
    for (let from = 0; from < migrations.length; from++) {
      connections.forEach((c) => c.close());
      rmSync(join(dir, 'switchboard.db'));
      const db = connect(from);
      expect(version(db)).toBe(from);
      runMigrations(db);
      expect(version(db)).toBe(migrations.length);
      expect(schema(db)).toEqual(fresh);
    }
  });

  it('applies all pending migrations in one transaction: a failing one leaves the database as it was', () => {
    const db = connect(1);
    const broken = [...migrations.slice(0, 3), 'CREATE TABLE half_done (a); SELECT * FROM no_such_table;'];
    expect(() => runMigrations(db, broken)).toThrow(/no_such_table/);
    expect(version(db)).toBe(1);
    expect(names(db, 'table')).toEqual(['settings']);
  });

  it('says when it upgrades an existing database (it can take seconds), and not when it creates one', () => {
    const heard: { message: string; fields?: Record<string, unknown> }[] = [];
    const logger = { info: (message: string, fields?: Record<string, unknown>) => heard.push({ message, fields }), warn() {}, error() {} };
    connections.push(openDatabase(dir, undefined, logger));
    expect(heard).toEqual([]);
    connections.forEach((c) => c.close());
    rmSync(join(dir, 'switchboard.db'));
    connect(migrations.length - 2).close();
    connections.push(openDatabase(dir, undefined, logger));
    expect(heard.map((h) => h.message)).toEqual([expect.stringMatching(/^upgrading the history database/), 'upgraded the history database']);
    expect(heard[0]!.fields).toEqual({ from: migrations.length - 2, to: migrations.length });
    expect(heard[1]!.fields).toEqual({ ms: expect.any(Number) });
  });

  it('refuses a database written by a newer Switchboard, with a clear message, and leaves it untouched', () => {
    const db = connect(migrations.length);
    db.pragma(`user_version = ${migrations.length + 3}`);
    db.close();
    let error: unknown;
    try {
      openDatabase(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFLICT');
    expect((error as AppError).message).toMatch(/newer version of Switchboard .*Update Switchboard/);
    const reopened = new Database(join(dir, 'switchboard.db'), { readonly: true });
    connections.push(reopened);
    expect(version(reopened)).toBe(migrations.length + 3);
  });
});

describe('001 settings', () => {
  it('keeps one text value per key', () => {
    const db = connect(1);
    expect(columns(db, 'settings')).toEqual(['key', 'value']);
    db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"')").run();
    expect(() => db.prepare("INSERT INTO settings VALUES ('theme', '\"light\"')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO settings VALUES ('x', NULL)").run()).toThrow(/NOT NULL/);
  });
});

describe('002 history', () => {
  it('creates threads, participants, messages, deliveries and attachments with their constraints', () => {
    const db = connect(2);
    expect(columns(db, 'messages')).toEqual(expect.arrayContaining(['seq', 'id', 'bandwidth_id', 'thread_id', 'direction', 'from_number', 'to_numbers', 'text', 'status', 'created_at', 'updated_at', 'send_at', 'priority', 'tag', 'segments', 'encoding', 'error_code', 'media_count']));
    addThread(db);
    expect(() => addMessage(db, 'm1', { status: 'lost' })).toThrow(/CHECK/);
    expect(() => addMessage(db, 'm1', { direction: 'sideways' })).toThrow(/CHECK/);
    expect(() => addMessage(db, 'm1', { thread: 'nope' })).toThrow(/FOREIGN KEY/);
    addMessage(db, 'm1');
    expect(() => addMessage(db, 'm1')).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO deliveries (message_id, recipient, status, updated_at) VALUES ('m1', '+19195550100', 'queued', 1)").run();
    db.prepare("INSERT INTO attachments (id, message_id, name, content_type, state, created_at, updated_at) VALUES ('a1', 'm1', 'x.png', 'image/png', 'ready', 1, 1)").run();
    db.prepare("DELETE FROM messages WHERE id = 'm1'").run();
    expect(db.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(0);
    expect(db.prepare("SELECT message_id FROM attachments WHERE id = 'a1'").pluck().get()).toBeNull();
  });

  // 013 narrows the status trigger's writes: the same outcomes must hold on either version.
  it.each([2, 13])('maintains the thread row on every insert, status change and delete of a message (at migration %i)', (version) => {
    const db = connect(version);
    addThread(db);
    addMessage(db, 'm1', { text: 'first', at: 10 });
    expect(thread(db)).toMatchObject({ last_activity_at: 10, unread: 1, preview_message_id: 'm1', preview_text: 'first', preview_direction: 'in' });
    addMessage(db, 'm0', { text: 'late arrival from before', at: 5 });
    expect(thread(db)).toMatchObject({ last_activity_at: 10, unread: 2, preview_message_id: 'm1' });
    addMessage(db, 'm2', { text: 'reply', direction: 'out', status: 'scheduled', at: 20 });
    expect(thread(db)).toMatchObject({ last_activity_at: 20, unread: 2, scheduled_count: 1, preview_message_id: 'm2', preview_status: 'scheduled' });
    db.prepare("UPDATE messages SET status = 'failed' WHERE id = 'm2'").run();
    expect(thread(db)).toMatchObject({ scheduled_count: 0, failed_count: 1, preview_status: 'failed' });
    db.prepare("DELETE FROM messages WHERE id = 'm2'").run();
    expect(thread(db)).toMatchObject({ failed_count: 0, last_activity_at: 10, preview_message_id: 'm1', preview_text: 'first' });
  });
});

describe('013 thread writes on status changes', () => {
  it('writes the thread row only when a counter or the preview changes', () => {
    const db = connect(13);
    addThread(db);
    addMessage(db, 'older', { direction: 'out', status: 'accepted', at: 10 });
    addMessage(db, 'newest', { direction: 'out', status: 'accepted', at: 20 });
    // Rows written by one statement, its triggers included.
    const rowsWritten = (sql: string) => {
      const before = db.prepare('SELECT total_changes()').pluck().get() as number;
      db.prepare(sql).run();
      return (db.prepare('SELECT total_changes()').pluck().get() as number) - before;
    };
    const before = thread(db);
    expect(rowsWritten("UPDATE messages SET status = 'delivered' WHERE id = 'older'")).toBe(1);
    expect(thread(db)).toEqual(before);
    expect(rowsWritten("UPDATE messages SET status = 'delivered' WHERE id = 'newest'")).toBe(2);
    expect(thread(db)).toMatchObject({ preview_message_id: 'newest', preview_status: 'delivered', failed_count: 0 });
    expect(rowsWritten("UPDATE messages SET status = 'failed' WHERE id = 'older'")).toBe(2);
    expect(thread(db)).toMatchObject({ preview_status: 'delivered', failed_count: 1 });
    expect(rowsWritten("UPDATE messages SET status = 'scheduled' WHERE id = 'older'")).toBe(2);
    expect(thread(db)).toMatchObject({ failed_count: 0, scheduled_count: 1 });
  });
});

describe('003 contacts and opt-outs', () => {
  it('flags every thread of (our number, participant) when the participant opts out, and clears it on opt-in', () => {
    const db = connect(3);
    addThread(db, 't1', '+19195550100', ['+19195551234']);
    addThread(db, 'group', '+19195550100', ['+19195551234', '+19195559999']);
    addThread(db, 'other-sender', '+19195550101', ['+19195551234']);
    const optedOut = () => db.prepare('SELECT id FROM threads WHERE opted_out = 1 ORDER BY id').pluck().all();
    db.prepare("INSERT INTO opt_outs VALUES ('+19195550100', '+19195551234', 1, 'keyword')").run();
    expect(optedOut()).toEqual(['group', 't1']);
    db.prepare("INSERT INTO opt_outs VALUES ('+19195550100', '+19195559999', 2, 'carrier')").run();
    db.prepare("DELETE FROM opt_outs WHERE number = '+19195551234'").run();
    expect(optedOut()).toEqual(['group']);
    expect(() => db.prepare("INSERT INTO opt_outs VALUES ('+1', '+2', 1, 'rumour')").run()).toThrow(/CHECK/);
    expect(columns(db, 'contacts')).toEqual(['number', 'name', 'notes', 'updated_at']);
  });
});

describe('004 queue and callback events', () => {
  it('ties each queue entry to its message and keeps callback keys unique', () => {
    const db = connect(4);
    addThread(db);
    addMessage(db, 'm1', { direction: 'out', status: 'queued' });
    db.prepare("INSERT INTO queue (message_id, next_attempt_at, created_at) VALUES ('m1', 5, 1)").run();
    expect(db.prepare("SELECT state, attempts FROM queue WHERE message_id = 'm1'").get()).toEqual({ state: 'waiting', attempts: 0 });
    expect(() => db.prepare("INSERT INTO queue (message_id, next_attempt_at, created_at) VALUES ('ghost', 5, 1)").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("UPDATE queue SET state = 'lost'").run()).toThrow(/CHECK/);
    db.prepare("DELETE FROM messages WHERE id = 'm1'").run();
    expect(db.prepare('SELECT count(*) FROM queue').pluck().get()).toBe(0);
    db.prepare("INSERT INTO callback_events VALUES ('k', 1)").run();
    expect(() => db.prepare("INSERT INTO callback_events VALUES ('k', 2)").run()).toThrow(/UNIQUE|PRIMARY KEY/);
  });
});

describe('005 search', () => {
  const match = (db: Db, q: string) => db.prepare('SELECT m.id FROM messages_fts f JOIN messages m ON m.seq = f.rowid WHERE messages_fts MATCH ? ORDER BY m.id').pluck().all(q);
  const segments = (db: Db) => db.prepare('SELECT count(*) FROM messages_fts_data').pluck().get() as number;

  it('indexes messages written before it, and keeps the index in step through triggers', () => {
    const db = connect(4);
    addThread(db);
    addMessage(db, 'old', { text: 'Crème brûlée tonight?' });
    runMigrations(db, migrations.slice(0, 5));
    expect(match(db, 'creme')).toEqual(['old']);
    addMessage(db, 'new', { text: 'brulee for two' });
    expect(match(db, 'brulee')).toEqual(['new', 'old']);
    db.prepare("DELETE FROM messages WHERE id = 'old'").run();
    expect(match(db, 'brulee')).toEqual(['new']);
  });

  it('re-indexes a message only when its text changes', () => {
    const db = connect(5);
    addThread(db);
    addMessage(db, 'm1', { text: 'first words', direction: 'out', status: 'queued' });
    const before = segments(db);
    db.prepare("UPDATE messages SET status = 'delivered', updated_at = 2 WHERE id = 'm1'").run();
    db.prepare("UPDATE messages SET text = 'first words' WHERE id = 'm1'").run();
    expect(segments(db)).toBe(before);
    db.prepare("UPDATE messages SET text = 'second thoughts' WHERE id = 'm1'").run();
    expect(segments(db)).toBeGreaterThan(before);
    expect(match(db, 'first')).toEqual([]);
    expect(match(db, 'thoughts')).toEqual(['m1']);
    expect(() => db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")).not.toThrow();
  });

  it('uses the unicode61 tokenizer without diacritics', () => {
    const db = connect(5);
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").pluck().get() as string;
    expect(sql).toMatch(/unicode61 remove_diacritics 2/);
    expect(sql).toMatch(/content\s*=\s*'messages'/);
  });
});

describe('006 client keys', () => {
  it('keeps a client key unique among messages, while messages without one are unconstrained', () => {
    const db = connect(6);
    addThread(db);
    addMessage(db, 'm1');
    addMessage(db, 'm2');
    db.prepare("UPDATE messages SET client_key = 'k1' WHERE id = 'm1'").run();
    expect(() => db.prepare("UPDATE messages SET client_key = 'k1' WHERE id = 'm2'").run()).toThrow(/UNIQUE/);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM messages WHERE client_key = 'k1'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('messages_client_key');
  });
});

describe('007 queue order', () => {
  it('reads due jobs in queue order straight off the index, without sorting', () => {
    const db = connect(7);
    const plan = (db.prepare(
      "EXPLAIN QUERY PLAN SELECT message_id FROM queue q WHERE q.state = 'waiting' AND +q.next_attempt_at <= 5 ORDER BY q.priority DESC, q.next_attempt_at, q.created_at, q.message_id LIMIT 10",
    ).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toContain('queue_order');
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});

describe('008 thread media', () => {
  it('indexes only the messages that carry files', () => {
    const db = connect(8);
    addThread(db);
    addMessage(db, 'text-only');
    addMessage(db, 'with-file');
    db.prepare("UPDATE messages SET media_count = 1 WHERE id = 'with-file'").run();
    const rows = db.prepare("SELECT id FROM messages INDEXED BY messages_thread_media WHERE thread_id = 't1' AND media_count > 0").pluck().all();
    expect(rows).toEqual(['with-file']);
  });
});

describe('009 search prefixes', () => {
  it('rebuilds the index with prefix indexes, keeps what was indexed, and the triggers of 005 keep it in step', () => {
    const db = connect(8);
    addThread(db);
    addMessage(db, 'old', { text: 'Your delivery is late' });
    runMigrations(db, migrations.slice(0, 9));
    const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").pluck().get() as string;
    expect(sql).toMatch(/prefix\s*=\s*'2 3 4 5'/);
    expect(sql).toMatch(/unicode61 remove_diacritics 2/);
    addMessage(db, 'new', { text: 'delivered this morning' });
    const prefix = (q: string) => db.prepare('SELECT m.id FROM messages_fts f JOIN messages m ON m.seq = f.rowid WHERE messages_fts MATCH ? ORDER BY m.id').pluck().all(q);
    expect(prefix('de*')).toEqual(['new', 'old']);
    expect(prefix('deliv*')).toEqual(['new', 'old']);
    expect(prefix('delivery*')).toEqual(['old']);
    db.prepare("DELETE FROM messages WHERE id = 'old'").run();
    expect(prefix('deliv*')).toEqual(['new']);
    expect(() => db.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
  });
});

describe('010 late messages', () => {
  it('marks the messages written after a newer one', () => {
    const db = connect(9);
    addThread(db);
    addMessage(db, 'a', { at: 100 });
    addMessage(db, 'b', { at: 300 });
    addMessage(db, 'c', { at: 200 });
    addMessage(db, 'd', { at: 300 });
    addMessage(db, 'e', { at: 50 });
    runMigrations(db, migrations.slice(0, 10));
    expect(db.prepare('SELECT id FROM messages WHERE late = 1 ORDER BY seq').pluck().all()).toEqual(['c', 'e']);
    expect(() => db.prepare("UPDATE messages SET late = 2 WHERE id = 'a'").run()).toThrow(/CHECK/);
  });
});

describe('011 search in batches', () => {
  it('marks what is already indexed and stops indexing row by row', () => {
    const db = connect(10);
    addThread(db);
    addMessage(db, 'old', { text: 'indexed before' });
    runMigrations(db, migrations.slice(0, 11));
    const match = (q: string) => db.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?').pluck().all(q);
    const seqOf = (id: string) => db.prepare('SELECT seq FROM messages WHERE id = ?').pluck().get(id);
    expect(db.prepare('SELECT indexed_seq FROM search_index_state').pluck().get()).toBe(seqOf('old'));
    addMessage(db, 'new', { text: 'written after' });
    expect(match('written')).toEqual([]);
    expect(match('indexed')).toEqual([seqOf('old')]);
    expect(() => db.prepare('INSERT INTO search_index_state (id, indexed_seq) VALUES (2, 0)').run()).toThrow(/CHECK/);
  });
});

describe('012 queue conversation', () => {
  it('copies each waiting or in-flight job with its message’s sender and first recipient, and keeps the queue’s rules', () => {
    const db = connect(11);
    addThread(db);
    addMessage(db, 'waiting', { direction: 'out', status: 'queued' });
    addMessage(db, 'in-flight', { direction: 'out', status: 'queued' });
    db.prepare("UPDATE messages SET to_numbers = '[\"+19195550100\",\"+19195550199\"]' WHERE id = 'in-flight'").run();
    db.prepare("INSERT INTO queue (message_id, priority, next_attempt_at, created_at) VALUES ('waiting', 1, 5, 1)").run();
    db.prepare("INSERT INTO queue (message_id, state, attempts, next_attempt_at, in_flight_since, last_error, created_at) VALUES ('in-flight', 'in-flight', 2, 6, 7, 'HTTP 503', 2)").run();
    runMigrations(db, migrations.slice(0, 12));
    expect(db.prepare('SELECT * FROM queue ORDER BY message_id').all()).toEqual([
      { message_id: 'in-flight', state: 'in-flight', priority: 0, attempts: 2, next_attempt_at: 6, in_flight_since: 7, last_error: 'HTTP 503', created_at: 2, from_number: '+19195551234', first_recipient: '+19195550100' },
      { message_id: 'waiting', state: 'waiting', priority: 1, attempts: 0, next_attempt_at: 5, in_flight_since: null, last_error: null, created_at: 1, from_number: '+19195551234', first_recipient: '+19195550100' },
    ]);
    expect(() => db.prepare("INSERT INTO queue (message_id, next_attempt_at, created_at, first_recipient) VALUES ('waiting', 5, 1, '+1')").run()).toThrow(/NOT NULL/);
    expect(() => db.prepare("UPDATE queue SET state = 'lost'").run()).toThrow(/CHECK/);
    db.prepare("DELETE FROM messages WHERE id = 'waiting'").run();
    expect(db.prepare('SELECT message_id FROM queue').pluck().all()).toEqual(['in-flight']);
    const plan = (db.prepare(
      "EXPLAIN QUERY PLAN SELECT message_id FROM queue WHERE state = 'waiting' AND from_number || ' ' || first_recipient NOT IN ('x') ORDER BY priority DESC, next_attempt_at, created_at, message_id LIMIT 5",
    ).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toContain('COVERING INDEX queue_order');
  });
});

describe('014 queue cost', () => {
  it('gives each job its cost and marks the scheduled ones still waiting for their time', () => {
    const db = connect(13);
    addThread(db);
    addMessage(db, 'group', { direction: 'out', status: 'queued' });
    db.prepare("UPDATE messages SET to_numbers = '[\"+19195550100\",\"+19195550199\"]', segments = 3 WHERE id = 'group'").run();
    addMessage(db, 'later', { direction: 'out', status: 'scheduled' });
    addMessage(db, 'taken', { direction: 'out', status: 'sending' });
    const job = db.prepare("INSERT INTO queue (message_id, state, next_attempt_at, created_at, from_number, first_recipient) VALUES (?, ?, 5, 1, '+19195551234', '+19195550100')");
    job.run('group', 'waiting');
    job.run('later', 'waiting');
    job.run('taken', 'in-flight');
    runMigrations(db, migrations.slice(0, 14));
    expect(db.prepare('SELECT message_id, cost, scheduled FROM queue ORDER BY message_id').all()).toEqual([
      { message_id: 'group', cost: 6, scheduled: 0 },
      { message_id: 'later', cost: 1, scheduled: 1 },
      { message_id: 'taken', cost: 1, scheduled: 0 },
    ]);
    expect(() => db.prepare("UPDATE queue SET scheduled = 2 WHERE message_id = 'group'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE queue SET cost = 0 WHERE message_id = 'group'").run()).toThrow(/CHECK/);
  });
});

describe('015 queue opt-out exemption', () => {
  it('marks no job queued before it exempt from the queue’s opt-out check, and keeps the mark a yes or no', () => {
    const db = connect(14);
    addThread(db);
    addMessage(db, 'waiting', { direction: 'out', status: 'queued' });
    db.prepare("INSERT INTO queue (message_id, next_attempt_at, created_at, from_number, first_recipient) VALUES ('waiting', 5, 1, '+19195551234', '+19195550100')").run();
    runMigrations(db, migrations.slice(0, 15));
    expect(db.prepare('SELECT message_id, opt_out_exempt FROM queue').all()).toEqual([{ message_id: 'waiting', opt_out_exempt: 0 }]);
    db.prepare("UPDATE queue SET opt_out_exempt = 1 WHERE message_id = 'waiting'").run();
    expect(() => db.prepare("UPDATE queue SET opt_out_exempt = 2 WHERE message_id = 'waiting'").run()).toThrow(/CHECK/);
  });
});

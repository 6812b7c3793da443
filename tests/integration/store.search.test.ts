import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchResult } from '../../shared/ipc/schemas';
import { threadKey } from '../../shared/domain/threadKey';
import { openDatabase } from '../../electron/main/core/store/database';
import type { Db } from '../../electron/main/core/store/database';
import { createAttachment } from '../../electron/main/core/store/attachments';
import { advanceMessageStatus, insertMessage, insertMessageRow } from '../../electron/main/core/store/messages';
import type { NewMessage } from '../../electron/main/core/store/messages';
import { indexNewMessages, searchMessages, toMatchQuery } from '../../electron/main/core/store/search';
import type { SearchOptions } from '../../electron/main/core/store/search';
import { upsertThread } from '../../electron/main/core/store/threads';
import { useTempDatabase } from '../support/tempDatabase';

const OUR = '+19195550100';
const ALICE = '+19195551234';
const BOB = '+19195559999';

let dir: string;
let db: Db;
let aliceThread: string;
let bobThread: string;

function add(threadId: string, at: number, text: string, extra: Partial<NewMessage> = {}): string {
  const from = threadId === aliceThread ? ALICE : BOB;
  return insertMessage(db, { threadId, direction: 'in', from, to: [OUR], text, status: 'received', createdAt: at, segments: 1, encoding: 'GSM-7', ...extra }).id;
}
const texts = (options: Partial<SearchOptions> & { query: string }) => searchMessages(db, options).results.map((r) => r.message.text);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-search-'));
  db = openDatabase(dir);
  aliceThread = upsertThread(db, threadKey(OUR, [ALICE]), 1).id;
  bobThread = upsertThread(db, threadKey(OUR, [BOB]), 1).id;
  add(aliceThread, 100, 'Is my order ready?');
  add(aliceThread, 200, 'The crème brûlée was great');
  add(aliceThread, 300, 'Ordering again tomorrow', { direction: 'out', from: OUR, to: [ALICE], status: 'queued' });
  add(bobThread, 400, 'Where is order 1234-AB? "urgent"');
  add(bobThread, 500, 'please cancel the order now');
  const photo = createAttachment(db, { name: 'p.jpg', contentType: 'image/jpeg', size: 1, state: 'ready', createdAt: 1 });
  add(bobThread, 600, 'photo of the broken order', { attachmentIds: [photo.id] });
  const failed = add(aliceThread, 700, 'order shipped', { direction: 'out', from: OUR, to: [ALICE], status: 'queued' });
  advanceMessageStatus(db, failed, { status: 'failed', at: 701, errorCode: 4720 });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('toMatchQuery', () => {
  it('quotes every word so operators and punctuation are plain text', () => {
    expect(toMatchQuery('order ready')).toBe('"order" "ready"');
    expect(toMatchQuery('cats AND dogs OR NOT NEAR(x)')).toBe('"cats" "AND" "dogs" "OR" "NOT" "NEAR(x)"');
    expect(toMatchQuery('text:foo -bar ^baz')).toBe('"text:foo" "-bar" "^baz"');
  });

  it('keeps prefixes and phrases, and drops what has no letters or digits', () => {
    expect(toMatchQuery('ord*')).toBe('"ord"*');
    expect(toMatchQuery('"order ready" now')).toBe('"order ready" "now"');
    expect(toMatchQuery('"unterminated phrase')).toBe('"unterminated phrase"');
    expect(toMatchQuery('foo"bar')).toBe('"foo" "bar"');
    expect(toMatchQuery('  * " " -- ""  ')).toBeNull();
    expect(toMatchQuery('')).toBeNull();
  });
});

describe('searchMessages', () => {
  it('finds words newest first, with highlighted snippets as parts', () => {
    const { results, nextCursor } = searchMessages(db, { query: 'order' });
    expect(results.map((r) => r.message.text)).toEqual(['order shipped', 'photo of the broken order', 'please cancel the order now', 'Where is order 1234-AB? "urgent"', 'Is my order ready?']);
    expect(nextCursor).toBeNull();
    expect(results[2]!.snippet).toEqual([
      { text: 'please cancel the ', hit: false },
      { text: 'order', hit: true },
      { text: ' now', hit: false },
    ]);
    expect(results[0]!.thread.id).toBe(aliceThread);
    for (const r of results) expect(searchResult.parse(r)).toEqual(r);
  });

  it('supports prefixes, phrases and accents either way', () => {
    expect(texts({ query: 'order*' })).toHaveLength(6);
    expect(texts({ query: '"cancel the order"' })).toEqual(['please cancel the order now']);
    expect(texts({ query: '"the order cancel"' })).toEqual([]);
    expect(texts({ query: 'creme brulee' })).toEqual(['The crème brûlée was great']);
    expect(texts({ query: 'CRÈME' })).toEqual(['The crème brûlée was great']);
  });

  it('never breaks on quotes, operators or syntax in what the user typed', () => {
    for (const query of ['"', '"""', 'order"', 'NOT order', 'order AND', 'NEAR(order', '(', ')', '*', 'order*)', 'text:order', '1234-AB', "it's", '^order', '{order}', '+order -ready']) {
      expect(() => searchMessages(db, { query }), query).not.toThrow();
    }
    expect(texts({ query: '1234-AB' })).toEqual(['Where is order 1234-AB? "urgent"']);
    expect(texts({ query: '"urgent"' })).toEqual(['Where is order 1234-AB? "urgent"']);
    expect(texts({ query: 'NOT order' })).toEqual([]);
  });

  it('filters by thread, number, direction, status, media and date', () => {
    expect(texts({ query: 'order', threadId: bobThread })).toEqual(['photo of the broken order', 'please cancel the order now', 'Where is order 1234-AB? "urgent"']);
    expect(texts({ query: 'order', number: ALICE })).toEqual(['order shipped', 'Is my order ready?']);
    expect(texts({ query: 'order*', direction: 'out' })).toEqual(['order shipped', 'Ordering again tomorrow']);
    expect(texts({ query: 'order', status: 'failed' })).toEqual(['order shipped']);
    expect(texts({ query: 'order', hasMedia: true })).toEqual(['photo of the broken order']);
    expect(texts({ query: 'order', hasMedia: false })).toHaveLength(4);
    expect(texts({ query: 'order', since: 400, until: 500 })).toEqual(['please cancel the order now', 'Where is order 1234-AB? "urgent"']);
  });

  it('selects by filters alone when there is nothing to match', () => {
    const results = searchMessages(db, { query: ' ', status: 'failed' }).results;
    expect(results.map((r) => r.snippet)).toEqual([[{ text: 'order shipped', hit: false }]]);
  });

  it('pages by keyset without gaps or repeats', () => {
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = searchMessages(db, { query: 'order*', limit: 4, before });
      seen.push(...page.results.map((r) => r.message.text));
      before = page.nextCursor ?? undefined;
    } while (before);
    expect(seen).toEqual(texts({ query: 'order*', limit: 50 }));
    expect(() => searchMessages(db, { query: 'order', before: 'bogus' })).toThrow(/Invalid page cursor/);
  });
});

describe('indexNewMessages', () => {
  const temp = useTempDatabase('switchboard-index-');
  const write = (threadId: string, at: number, text: string) =>
    insertMessageRow(temp.db, { threadId, direction: 'in', from: ALICE, to: [OUR], text, status: 'received', createdAt: at, segments: 1, encoding: 'GSM-7' });
  const found = (query: string) => searchMessages(temp.db, { query }).results.map((r) => r.message.text);
  const indexedUpTo = () => temp.db.prepare('SELECT indexed_seq FROM search_index_state').pluck().get();
  const seqOf = (text: string) => temp.db.prepare('SELECT seq FROM messages WHERE text = ?').pluck().get(text);
  // The index holds exactly the messages it should: FTS5 compares itself with the messages table.
  const indexIsExact = () => temp.db.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");

  it('leaves new messages to a batch, which every search runs first', () => {
    const thread = upsertThread(temp.db, threadKey(OUR, [ALICE]), 1).id;
    write(thread, 1, 'parcel one');
    write(thread, 2, 'parcel two');
    expect(indexedUpTo()).toBe(0);
    expect(found('parcel')).toEqual(['parcel two', 'parcel one']);
    expect(indexedUpTo()).toBe(seqOf('parcel two'));
    write(thread, 3, 'parcel three');
    expect(indexNewMessages(temp.db)).toEqual({ indexed: 1, caughtUp: true });
    expect(indexNewMessages(temp.db)).toEqual({ indexed: 0, caughtUp: true });
    indexIsExact();
  });

  it('indexes in batches of at most the limit, oldest first, saying when none are left', () => {
    const thread = upsertThread(temp.db, threadKey(OUR, [ALICE]), 1).id;
    for (const [at, text] of ['crate one', 'crate two', 'crate three'].entries()) write(thread, at + 1, text);
    expect(indexNewMessages(temp.db, 2)).toEqual({ indexed: 2, caughtUp: false });
    expect(indexedUpTo()).toBe(seqOf('crate two'));
    expect(indexNewMessages(temp.db, 2)).toEqual({ indexed: 1, caughtUp: true });
    expect(indexNewMessages(temp.db, 2)).toEqual({ indexed: 0, caughtUp: true });
    expect(temp.db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'crate'").pluck().get()).toBe(3);
    indexIsExact();
  });

  it('keeps the index exact through edits and deletes, indexed or not, and indexes a rowid used again', () => {
    const thread = upsertThread(temp.db, threadKey(OUR, [ALICE]), 1).id;
    write(thread, 1, 'first words');
    write(thread, 2, 'second words');
    indexNewMessages(temp.db);
    write(thread, 3, 'third words, not indexed yet');
    temp.db.prepare("UPDATE messages SET text = 'third thoughts' WHERE text = 'third words, not indexed yet'").run();
    temp.db.prepare("UPDATE messages SET text = 'first thoughts' WHERE text = 'first words'").run();
    temp.db.prepare("DELETE FROM messages WHERE text = 'third thoughts'").run();
    indexIsExact();
    // The newest message goes; the next one takes its rowid and must still be indexed.
    const reused = seqOf('second words');
    temp.db.prepare("DELETE FROM messages WHERE text = 'second words'").run();
    write(thread, 4, 'fourth words');
    expect(seqOf('fourth words')).toBe(reused);
    expect(found('words')).toEqual(['fourth words']);
    expect(found('thoughts')).toEqual(['first thoughts']);
    indexIsExact();
  });
});

describe('searching a common term with messages written out of time order', () => {
  const temp = useTempDatabase('switchboard-late-');

  it('gives exactly the newest first on every page, late messages in their place', () => {
    const db = temp.db;
    const thread = upsertThread(db, threadKey(OUR, [ALICE]), 1).id;
    const write = (at: number, text: string) =>
      insertMessageRow(db, { threadId: thread, direction: 'in', from: ALICE, to: [OUR], text, status: 'received', createdAt: at, segments: 1, encoding: 'GSM-7' });
    const expected = () => db.prepare('SELECT text FROM messages ORDER BY created_at DESC, id DESC').pluck().all();
    const allPages = () => {
      const seen: string[] = [];
      let before: string | undefined;
      do {
        const page = searchMessages(db, { query: 'parcel', limit: 50, before });
        seen.push(...page.results.map((r) => r.message.text));
        before = page.nextCursor ?? undefined;
      } while (before);
      return seen;
    };
    db.transaction(() => {
      for (let i = 0; i < 1_200; i++) write(10_000 + 10 * i, `parcel ${i}`);
      // Written last but older: the newest hits by rowid are all late, and newer messages were written before them.
      write(21_955, 'parcel late but recent');
      for (let i = 0; i < 110; i++) write(21_000 + i, `parcel backfill ${i}`);
    })();
    expect(db.prepare('SELECT count(*) FROM messages WHERE late = 1').pluck().get()).toBe(111);
    expect(allPages()).toEqual(expected());
    expect(allPages().slice(0, 50)).toContain('parcel late but recent');
    // New messages in time order again: the first page comes from the newest hits.
    db.transaction(() => {
      for (let i = 0; i < 60; i++) write(30_000 + i, `parcel new ${i}`);
    })();
    expect(allPages()).toEqual(expected());
  });
});

import type { MessageStatus, SearchResult } from '../../../../shared/ipc/schemas';
import { decodeCursor, encodeCursor } from './cursor';
import type { Db } from './database';
import { stmt, transaction } from './database';
import type { MessageRow } from './messages';
import { MESSAGE_COLUMNS, messageRows, toMessages } from './messages';
import { getThreadsByIds } from './threads';

export interface SearchOptions {
  /** Words (all must match), `prefix*` and "quoted phrases"; anything else is taken literally. */
  query: string;
  threadId?: string;
  /** A participant of the thread (E.164). */
  number?: string;
  direction?: 'in' | 'out';
  status?: MessageStatus;
  hasMedia?: boolean;
  /** created_at bounds, epoch ms, both inclusive. */
  since?: number;
  until?: number;
  limit?: number;
  before?: string;
}

const HIT_START = '\u0002';
const HIT_END = '\u0003';
const HAS_WORD = /[\p{L}\p{N}]/u;
/** Hits taken newest-first from the FTS index when the newest two pages' worth cannot settle a page (see matchingPage). */
const NEWEST_HITS = 1000;

/**
 * Turns what the user typed into an FTS5 query that cannot fail to parse: every word and phrase is quoted (so `"`,
 * `-`, `:`, `(`, AND/OR/NOT/NEAR are plain text), `word*` stays a prefix search and `"a b"` a phrase. Null when
 * nothing searchable is left.
 */
export function toMatchQuery(input: string): string | null {
  const terms: string[] = [];
  for (const match of input.matchAll(/"([^"]*)(?:"|$)|([^\s"]+)/g)) {
    const phrase = match[1];
    const word = match[2];
    if (phrase !== undefined) {
      if (HAS_WORD.test(phrase)) terms.push(`"${phrase}"`);
    } else if (word !== undefined) {
      const core = word.replace(/\*+$/, '');
      if (HAS_WORD.test(core)) terms.push(`"${core}"${core.length < word.length ? '*' : ''}`);
    }
  }
  return terms.length ? terms.join(' ') : null;
}

/**
 * Indexes the messages written since the last call for search, in one transaction (migration 011): one FTS5 segment
 * for the whole batch instead of one per commit. Called before every search, so search always sees every message,
 * and by the core in the background (see createCore), so that catch-up stays small. `limit` bounds the batch, in
 * messages: at most that many go in, the oldest first. Returns how many went in and whether any are left.
 */
export function indexNewMessages(db: Db, limit = Infinity): { indexed: number; caughtUp: boolean } {
  return transaction(db, catchUp)(db, limit);
}

function catchUp(db: Db, limit: number): { indexed: number; caughtUp: boolean } {
  const from = stmt(db, 'SELECT indexed_seq FROM search_index_state').pluck().get() as number;
  const last = stmt(db, 'SELECT coalesce(max(seq), 0) FROM messages').pluck().get() as number;
  if (last <= from) return { indexed: 0, caughtUp: true };
  // Seqs are dense but for deletes, so a range of `limit` seqs holds at most that many messages.
  const to = Math.min(last, from + limit);
  const indexed = stmt(db, 'INSERT INTO messages_fts (rowid, text) SELECT seq, text FROM messages WHERE seq > ? AND seq <= ?').run(from, to).changes;
  stmt(db, 'UPDATE search_index_state SET indexed_seq = ?').run(to);
  return { indexed, caughtUp: to === last };
}

/** FTS5 snippet text with its hit markers as parts; the renderer shows parts as text, never as markup. */
function toParts(snippet: string): SearchResult['snippet'] {
  const parts: SearchResult['snippet'] = [];
  let rest = snippet;
  while (rest) {
    const start = rest.indexOf(HIT_START);
    if (start < 0) {
      parts.push({ text: rest, hit: false });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), hit: false });
    const end = rest.indexOf(HIT_END, start);
    const stop = end < 0 ? rest.length : end;
    if (stop > start + 1) parts.push({ text: rest.slice(start + 1, stop), hit: true });
    rest = rest.slice(stop + 1);
  }
  return parts;
}

/** An SQL condition on messages (aliased m) and its values. */
type Condition = [sql: string, ...values: (string | number)[]];

/**
 * The newest `count` messages where every condition holds: their keys first, then their rows. Sorting and walking
 * carry only (created_at, id, seq), which the time index holds, so whole rows are read for the page alone.
 */
function pageWhere(db: Db, conditions: Condition[], count: number): MessageRow[] {
  const where = conditions.length ? `WHERE ${conditions.map(([sql]) => sql).join(' AND ')}` : '';
  const seqs = stmt(db, `SELECT m.seq FROM messages m ${where} ORDER BY m.created_at DESC, m.id DESC LIMIT ?`)
    .pluck()
    .all(...conditions.flatMap(([, ...values]) => values), count) as number[];
  if (seqs.length === 0) return [];
  const rows = messageRows(db, `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq IN (SELECT value FROM json_each(?))`, JSON.stringify(seqs));
  const bySeq = new Map(rows.map((row) => [row.seq, row]));
  return seqs.map((seq) => bySeq.get(seq)!);
}

/**
 * The newest `count` messages that match and pass the filters. The newest hits by rowid come cheaply from the FTS
 * index (it stops early at the LIMIT): fewer than asked for means every hit is in hand, to look up by key and sort.
 */
function matchingPage(db: Db, match: string, filters: Condition[], count: number): MessageRow[] {
  const newestHits = (limit: number) => stmt(db, 'SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?').pluck().all(match, limit) as number[];
  const listed = (seqs: number[]): Condition => ['m.seq IN (SELECT value FROM json_each(?))', JSON.stringify(seqs)];

  // Every hit outside the newest few was written before all of them, so it is no newer than any of them written in
  // time order (migration 010: not late). When the oldest such one is older than the page's last, nothing outside
  // can be on the page. Twice a page of hits leaves room for ties and filters.
  const few = newestHits(2 * count);
  const page = pageWhere(db, [listed(few), ...filters], count);
  if (few.length < 2 * count) return page;
  const oldestInOrder = stmt(db, 'SELECT min(created_at) FROM messages WHERE seq IN (SELECT value FROM json_each(?)) AND late = 0').pluck().get(JSON.stringify(few)) as number | null;
  if (page.length === count && oldestInOrder !== null && oldestInOrder < page.at(-1)!.created_at) return page;

  // A rarer term (fewer than NEWEST_HITS hits): all of them by key. Otherwise (a later page, narrow filters, a
  // history imported out of order) walk the time index (the unary + keeps the planner on it), where hits are dense.
  // Rows at or above the oldest of the newest hits are hits exactly when listed; an older row is checked against the
  // index one by one. Neither side materialises every hit.
  const newest = newestHits(NEWEST_HITS);
  if (newest.length < NEWEST_HITS) return pageWhere(db, [listed(newest), ...filters], count);
  const walk: Condition = [
    '(+m.seq IN (SELECT value FROM json_each(?)) OR (+m.seq < ? AND m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? AND rowid = m.seq)))',
    JSON.stringify(newest),
    newest.at(-1)!,
    match,
  ];
  return pageWhere(db, [walk, ...filters], count);
}

/**
 * Messages matching the query and filters, newest first, one keyset page at a time. The FTS index finds the
 * matches first (see matchingPage for how the page is then taken: by key, or along a base-table time index).
 * Without searchable words, the filters alone select (e.g. every failed message).
 */
export function searchMessages(db: Db, options: SearchOptions): { results: SearchResult[]; nextCursor: string | null } {
  const limit = options.limit ?? 50;
  const match = toMatchQuery(options.query);
  if (match) indexNewMessages(db);
  const filters: Condition[] = [];
  if (options.threadId !== undefined) filters.push(['m.thread_id = ?', options.threadId]);
  if (options.number !== undefined) filters.push(['m.thread_id IN (SELECT thread_id FROM thread_participants WHERE number = ?)', options.number]);
  if (options.direction !== undefined) filters.push(['m.direction = ?', options.direction]);
  if (options.status !== undefined) filters.push(['m.status = ?', options.status]);
  if (options.hasMedia !== undefined) filters.push([options.hasMedia ? 'm.media_count > 0' : 'm.media_count = 0']);
  if (options.since !== undefined) filters.push(['m.created_at >= ?', options.since]);
  if (options.until !== undefined) filters.push(['m.created_at <= ?', options.until]);
  if (options.before !== undefined) {
    const cursor = decodeCursor(options.before);
    filters.push(['(m.created_at, m.id) < (?, ?)', cursor.ts, cursor.id]);
  }
  const rows = match ? matchingPage(db, match, filters, limit + 1) : pageWhere(db, filters, limit + 1);
  const page = rows.slice(0, limit);

  // Snippets only for the page: building one costs far more than matching. FTS5 runs the whole MATCH again for
  // each value of a rowid IN list, and seeks slowly to a rowid range in a long doclist; walking the hits newest
  // first is cheap, and the page's rows are almost always among the first, so that walk picks them out and stops.
  const snippets = new Map<number, string>();
  if (match && page.length) {
    const found = stmt(
      db,
      `SELECT rowid AS seq, snippet(messages_fts, 0, '${HIT_START}', '${HIT_END}', '…', 16) AS snippet FROM messages_fts
       WHERE messages_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?)) ORDER BY rowid DESC LIMIT ?`,
    ).all(match, JSON.stringify(page.map((r) => r.seq)), page.length) as { seq: number; snippet: string }[];
    for (const f of found) snippets.set(f.seq, f.snippet);
  }
  const messages = toMessages(db, page);
  const threads = getThreadsByIds(db, [...new Set(page.map((r) => r.thread_id))]);
  const last = page.at(-1);
  return {
    results: messages.map((message, i) => ({
      message,
      thread: threads.get(message.threadId)!,
      snippet: toParts(snippets.get(page[i]!.seq) ?? message.text.slice(0, 160)),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

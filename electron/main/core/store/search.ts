import type { MessageStatus, SearchResult } from '../../../../shared/ipc/schemas';
import { SENDER_NAME_FORM } from '../../../../shared/ipc/schemas';
import { decodeCursor, encodeCursor } from './cursor';
import type { Db } from './database';
import { stmt, transaction } from './database';
import type { MessageRow } from './messages';
import { MESSAGE_COLUMNS, messageRows, toMessages } from './messages';
import { getThreadsByIds } from './threads';

export interface SearchOptions {
  /**
   * Words (all must match), `prefix*` and "quoted phrases"; anything else is taken literally. Part of a phone number
   * ("555-0151", four digits or more) also matches the threads of numbers ending in it.
   */
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

/** Each word and "phrase" the user typed, without a trailing `*`, in order. */
function terms(input: string): { text: string; prefix: boolean; phrase: boolean }[] {
  const found: { text: string; prefix: boolean; phrase: boolean }[] = [];
  for (const match of input.matchAll(/"([^"]*)(?:"|$)|([^\s"]+)/g)) {
    if (match[1] !== undefined) found.push({ text: match[1], prefix: false, phrase: true });
    else if (match[2] !== undefined) {
      const core = match[2].replace(/\*+$/, '');
      found.push({ text: core, prefix: core.length < match[2].length, phrase: false });
    }
  }
  return found;
}

/**
 * Turns what the user typed into an FTS5 query that cannot fail to parse: every word and phrase is quoted (so `"`,
 * `-`, `:`, `(`, AND/OR/NOT/NEAR are plain text), `word*` stays a prefix search and `"a b"` a phrase. Null when
 * nothing searchable is left.
 */
export function toMatchQuery(input: string): string | null {
  const quoted = terms(input)
    .filter((t) => HAS_WORD.test(t.text))
    .map((t) => `"${t.text}"${t.prefix ? '*' : ''}`);
  return quoted.length ? quoted.join(' ') : null;
}

/**
 * The words the index cannot see: the tokenizer (unicode61) keeps only letters and digits, so an emoji or `?!`
 * is no token at all, and without this a query of them alone would match everything. Each must appear in the text
 * as typed (a plain substring; they have no case).
 */
export function literalTerms(input: string): string[] {
  return terms(input)
    .map((t) => (t.phrase ? t.text.trim() : t.text))
    .filter((text) => text !== '' && !HAS_WORD.test(text));
}

/**
 * The digits of a query that is (part of) a phone number, as agents type one: "555-0151", "0151", "(984) 555-01…".
 * Four digits at least (fewer would name too many numbers), fifteen at most (E.164's longest). Null for anything else.
 */
export function numberDigits(input: string): string | null {
  const core = bare(input);
  if (!/^\+?[\d\s().-]+$/.test(core)) return null;
  const digits = core.replace(/\D/g, '');
  return digits.length >= 4 && digits.length <= 15 ? digits : null;
}

/** The query without the quotes or trailing `*` around it, as a number or name is typed. */
const bare = (input: string) => input.trim().replace(/^"|"?\*?$/g, '');

/**
 * The thread participants a query names, as a condition on thread_participants.number: part of a number (the numbers
 * ending in it, see numberDigits) or a whole sender name in any case ("bankalert" names BANKALERT, stored as written).
 * A name is compared without case, which the number index cannot do; but the name's start up to its first letter has no
 * case, so that start in both cases bounds two short index ranges (where letters are, numbers' `+` and digits are not),
 * and the check stays cheap even though almost every one-word query has a name's form. Null when it names none.
 */
export function namedParticipants(input: string): Condition | null {
  const digits = numberDigits(input);
  if (digits) return ['number LIKE ?', `%${digits}`];
  const name = bare(input);
  if (!SENDER_NAME_FORM.test(name)) return null;
  const start = name.slice(0, name.search(/[A-Za-z]/) + 1);
  const range = (from: string): (string | number)[] => [from, from.slice(0, -1) + String.fromCharCode(from.charCodeAt(from.length - 1) + 1)];
  return [
    '(number >= ? AND number < ? OR number >= ? AND number < ?) AND number = ? COLLATE NOCASE',
    ...range(start.toUpperCase()),
    ...range(start.toLowerCase()),
    name,
  ];
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

/**
 * The start of the text, or for literal terms (which the index does not mark) the part around the first of them,
 * marked as FTS5 marks its hits.
 */
function literalSnippet(text: string, literals: string[]): string {
  const [at, literal] = literals.map((l) => [text.indexOf(l), l] as const).filter(([i]) => i >= 0).sort(([a], [b]) => a - b)[0] ?? [-1, ''];
  if (at < 0) return text.slice(0, 160);
  // Never cut an emoji's surrogate pair in half.
  const lowSurrogate = (i: number) => /[\uDC00-\uDFFF]/.test(text[i] ?? '');
  let from = Math.max(0, at - 60);
  let to = Math.min(text.length, at + literal.length + 100);
  if (lowSurrogate(from)) from -= 1;
  if (lowSurrogate(to)) to += 1;
  return `${from > 0 ? '…' : ''}${text.slice(from, at)}${HIT_START}${literal}${HIT_END}${text.slice(at + literal.length, to)}${to < text.length ? '…' : ''}`;
}

/** An SQL condition (on messages, aliased m, unless said otherwise) and its values. */
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

/** How to find matches: their seqs newest first (stopping at a limit), and the same test on one row m. */
interface Matcher {
  newest(limit: number): number[];
  test: Condition;
}

/** Matches from the FTS index: it reads the newest hits by rowid and stops early at the LIMIT. */
function indexMatcher(db: Db, match: string): Matcher {
  return {
    newest: (limit) => stmt(db, 'SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?').pluck().all(match, limit) as number[],
    test: ['m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? AND rowid = m.seq)', match],
  };
}

/**
 * Matches by substring, for queries the index cannot answer (literalTerms). The table is read newest seq first
 * and the read stops at the LIMIT, so a common emoji costs a few hundred rows; a rare one reads every message once
 * (about the LIKE scan in bench/results.json, 0.2 s per million). Only such queries pay it: others use the index.
 */
function substringMatcher(db: Db, literals: string[]): Matcher {
  const test: Condition = [literals.map(() => 'instr(m.text, ?) > 0').join(' AND '), ...literals];
  return {
    newest: (limit) => stmt(db, `SELECT m.seq FROM messages m WHERE ${test[0]} ORDER BY m.seq DESC LIMIT ?`).pluck().all(...literals, limit) as number[],
    test,
  };
}

/**
 * The newest `count` messages that match and pass the filters. The newest hits by seq come cheaply from the
 * matcher: fewer than asked for means every hit is in hand, to look up by key and sort.
 */
function matchingPage(db: Db, matcher: Matcher, filters: Condition[], count: number): MessageRow[] {
  const listed = (seqs: number[]): Condition => ['m.seq IN (SELECT value FROM json_each(?))', JSON.stringify(seqs)];

  // Every hit outside the newest few was written before all of them, so it is no newer than any of them written in
  // time order (migration 010: not late). When the oldest such one is older than the page's last, nothing outside
  // can be on the page. Twice a page of hits leaves room for ties and filters.
  const few = matcher.newest(2 * count);
  const page = pageWhere(db, [listed(few), ...filters], count);
  if (few.length < 2 * count) return page;
  const oldestInOrder = stmt(db, 'SELECT min(created_at) FROM messages WHERE seq IN (SELECT value FROM json_each(?)) AND late = 0').pluck().get(JSON.stringify(few)) as number | null;
  if (page.length === count && oldestInOrder !== null && oldestInOrder < page.at(-1)!.created_at) return page;

  // A rarer term (fewer than NEWEST_HITS hits): all of them by key. Otherwise (a later page, narrow filters, a
  // history imported out of order) walk the time index (the unary + keeps the planner on it), where hits are dense.
  // Rows at or above the oldest of the newest hits are hits exactly when listed; an older row is tested one by one.
  // Neither side materialises every hit.
  const newest = matcher.newest(NEWEST_HITS);
  if (newest.length < NEWEST_HITS) return pageWhere(db, [listed(newest), ...filters], count);
  const [test, ...values] = matcher.test;
  const walk: Condition = [`(+m.seq IN (SELECT value FROM json_each(?)) OR (+m.seq < ? AND ${test}))`, JSON.stringify(newest), newest.at(-1)!, ...values];
  return pageWhere(db, [walk, ...filters], count);
}

/** Newest first, as pages are: created_at, then id, both descending. */
const newerFirst = (a: MessageRow, b: MessageRow) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * Messages matching the query and filters, newest first, one keyset page at a time. The FTS index finds the
 * matches first (see matchingPage for how the page is then taken: by key, or along a base-table time index); a
 * query of terms it cannot index (emoji, `?!`) matches by substring instead. Without any term, the filters alone
 * select (e.g. every failed message).
 */
export function searchMessages(db: Db, options: SearchOptions): { results: SearchResult[]; nextCursor: string | null } {
  const limit = options.limit ?? 50;
  const match = toMatchQuery(options.query);
  const literals = literalTerms(options.query);
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
  const matcher = match ? indexMatcher(db, match) : literals.length ? substringMatcher(db, literals) : null;
  const count = limit + 1;
  // Beside the index, literal terms are substrings every hit must hold; alone, they are what matches.
  const mustHold = match ? literals.map((l): Condition => ['instr(m.text, ?) > 0', l]) : [];
  let rows = matcher ? matchingPage(db, matcher, [...mustHold, ...filters], count) : pageWhere(db, filters, count);

  // A query that is part of a number ("555-0151") also finds the messages of every thread with a number ending in
  // it, as the number filter finds a whole one, and a sender name ("BANKALERT") those of its threads; both sides are
  // keyset pages, so their merge is one. The suffix cannot use the number index's order, so it reads the whole index
  // (one row per thread participant, 20k rows in the bench's history: a few ms), never the messages. Only when some
  // participant is named: a word that names none costs one index probe. Not inside one thread or number: there it
  // would match all.
  const named = options.threadId === undefined && options.number === undefined ? namedParticipants(options.query) : null;
  const [namedSql, ...namedValues] = named ?? [''];
  if (named && stmt(db, `SELECT 1 FROM thread_participants WHERE ${namedSql} LIMIT 1`).get(...namedValues)) {
    const byNumber = pageWhere(db, [[`m.thread_id IN (SELECT thread_id FROM thread_participants WHERE ${namedSql})`, ...namedValues], ...filters], count);
    const seen = new Set(rows.map((r) => r.seq));
    rows = [...rows, ...byNumber.filter((r) => !seen.has(r.seq))].sort(newerFirst).slice(0, count);
  }
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
      snippet: toParts(snippets.get(page[i]!.seq) ?? literalSnippet(message.text, literals)),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

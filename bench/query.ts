import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { RpcClient } from '../shared/ipc/client';
import type { BenchCore } from './harness';
import type { Row } from './report';
import type { Manifest } from './seed';
import { percentile, timeRuns } from './stats';

/**
 * What agents type: names, products, an order number (rare: 2 messages), everyday words (common); with and without
 * diacritics. Each must find something in the seeded history (checked below), or it would time an empty answer.
 */
const QUERIES = {
  word: ['refund', 'Kowalski', 'thermostat', '432640', 'Montreal', 'tracking'],
  prefix: ['refu*', 'therm*', 'Kowal*', 'esp*', 'deliv*', 'Zo*'],
  phrase: ['"back in stock"', '"box was crushed"', '"wrong color"', '"escalated it to our warehouse"', '"prepaid UPS label"', '"call me tomorrow"'],
} as const;
type Kind = keyof typeof QUERIES;

const RUNS = 300;
/**
 * Untimed runs before each p95 series, as many as are timed: V8 optimises a function only after some hundreds of
 * calls, and a window searches all day (the callbacks and the queue are timed after 2,000 requests the same way).
 * After 20, the first series carried that warm-up: search p95 3.4–8.6 ms against 2.8–5.9 in the same hour.
 */
const WARMUP = RUNS;

/** The same search as LIKE sees it: every word a substring, a phrase its words in order. */
const likePattern = (query: string) => `%${query.replace(/["*]/g, '').replace(/\s+/g, '%')}%`;

const ms = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Search, opening a thread and the thread list through the RPC contract (in-memory and WebSocket), each beside the
 * raw better-sqlite3 query it rests on, on the same 1M database in the same run.
 */
export async function queryBench(bench: BenchCore, dataDir: string, manifest: Manifest): Promise<Row[]> {
  const raw = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
  const rows: Row[] = [];
  try {
    const ftsNewest = raw.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT 50');
    // A search without the index reads every row (a LIKE cannot know where the newest matches are).
    const likeScan = raw.prepare('SELECT seq FROM messages WHERE text LIKE ?');
    const threadPage = raw.prepare(
      'SELECT id, our_number, participants, last_activity_at, unread, preview_text FROM threads ORDER BY last_activity_at DESC, id DESC LIMIT 100',
    );
    const messagePage = raw.prepare('SELECT * FROM messages WHERE thread_id = ? ORDER BY created_at DESC, id DESC LIMIT 50');
    const bigThread = manifest.bigThreadIds[0]!;

    for (const kind of Object.keys(QUERIES) as Kind[]) {
      const queries = QUERIES[kind];
      // FTS5 needs the phrase and prefix in its own syntax: the app's quoting gives exactly that.
      const ftsQuery = (q: string) => (kind === 'prefix' ? `"${q.slice(0, -1)}"*` : kind === 'phrase' ? q : `"${q}"`);
      const empty = queries.find((q) => ftsNewest.all(ftsQuery(q)).length === 0);
      if (empty) throw new Error(`the bench query ${empty} finds nothing in the seeded history: pick one that does`);
      const ceiling = percentile(await timeRuns(RUNS, (i) => ftsNewest.all(ftsQuery(queries[i % queries.length]!)), WARMUP), 95);
      for (const [transport, client] of [['in-memory', bench.local], ['WebSocket', bench.ws]] as [string, RpcClient][]) {
        const samples = await timeRuns(RUNS, (i) => client.call('search.query', { query: queries[i % queries.length]!, limit: 50 }), WARMUP);
        rows.push({ id: `search.${kind}.${transport}`, target: `search ${kind} p95 (RPC, ${transport})`, measured: ms(percentile(samples, 95)), unit: 'ms', limit: 5, better: 'lower', ceiling: ms(ceiling), ceilingLabel: 'FTS5 MATCH newest 50' });
      }
      // The LIKE scan of the same searches: median of 3 runs of each (a full scan takes long), against the app's medians.
      const like: number[] = [];
      for (const q of queries) like.push(percentile(await timeRuns(3, () => likeScan.all(likePattern(q)), 1), 50));
      const app: number[] = [];
      for (const q of queries) app.push(percentile(await timeRuns(15, () => bench.local.call('search.query', { query: q, limit: 50 }), 3), 50));
      const likeTotal = like.reduce((a, b) => a + b, 0);
      const appTotal = app.reduce((a, b) => a + b, 0);
      rows.push({ id: `search.${kind}.vsLike`, target: `search ${kind}: times faster than LIKE`, measured: Math.round(likeTotal / appTotal), unit: '×', limit: 50, better: 'higher', ceiling: ms(likeTotal / queries.length), ceilingLabel: 'ms mean LIKE full scan' });
    }

    const listCeiling = percentile(await timeRuns(RUNS, () => threadPage.all(), WARMUP), 95);
    const openCeiling = percentile(await timeRuns(RUNS, () => messagePage.all(bigThread), WARMUP), 95);
    for (const [transport, client] of [['in-memory', bench.local], ['WebSocket', bench.ws]] as [string, RpcClient][]) {
      const open = await timeRuns(RUNS, () => client.call('messages.list', { threadId: bigThread, limit: 50 }), WARMUP);
      rows.push({ id: `messages.list.${transport}`, target: `open thread (newest 50 of 5,000) p95 (RPC, ${transport})`, measured: ms(percentile(open, 95)), unit: 'ms', limit: 2, better: 'lower', ceiling: ms(openCeiling), ceilingLabel: 'keyset SELECT' });
      const list = await timeRuns(RUNS, () => client.call('threads.list', { limit: 100 }), WARMUP);
      rows.push({ id: `threads.list.${transport}`, target: `thread list top 100 p95 (RPC, ${transport})`, measured: ms(percentile(list, 95)), unit: 'ms', limit: 2, better: 'lower', ceiling: ms(listCeiling), ceilingLabel: 'keyset SELECT' });
    }
  } finally {
    raw.close();
  }
  return rows;
}


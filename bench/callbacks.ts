import Database from 'better-sqlite3';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { newId } from '../shared/domain/ids';
import { openDatabase } from '../electron/main/core/store/database';
import { seedCustomerNumber } from '../electron/main/core/store/seed';
import { CALLBACK_CREDENTIALS, type BenchCore } from './harness';
import { load as loadFrom, type LoadResult } from './load';
import { ask, startWindow, windowStats } from './windowClient';
import type { Row } from './report';
import { OUR_NUMBERS } from './seed';
import { percentile } from './stats';

const IN_FLIGHT = 50;
/** Requests sent before each timed phase (see LoadOptions.warmup): the app's and the raw servers' alike. */
const WARMUP = 2000;
/** Requests timed in each phase. */
const TIMED = 10_000;
const AUTH = `Basic ${Buffer.from(`${CALLBACK_CREDENTIALS.username}:${CALLBACK_CREDENTIALS.password}`).toString('base64')}`;
const HEADERS = { authorization: AUTH, 'content-type': 'application/json; charset=utf-8', 'user-agent': 'BandwidthAPI/v2' };
const load = (url: string, bodies: string[]) => loadFrom(url, bodies, { inFlight: IN_FLIGHT, headers: HEADERS, warmup: WARMUP });

/** Bodies shaped like tests/fixtures/bandwidth/callbacks/message-received-sms.json: one event in an array. */
function received(i: number, run: string, threads: number): string {
  const t = (i * 7919) % threads;
  const our = OUR_NUMBERS[t % OUR_NUMBERS.length]!;
  const time = new Date().toISOString();
  return JSON.stringify([
    {
      time,
      type: 'message-received',
      to: our,
      description: 'Incoming message received',
      message: { id: `bench-${run}-${i}`, owner: our, applicationId: 'bench-app', time, segmentCount: 1, direction: 'in', to: [our], from: seedCustomerNumber(t), text: `Hi, any news on order #${100_000 + i}? Thanks 🙏` },
    },
  ]);
}

/** Like message-delivered-sms.json, for an outbound message of the seeded history that was `sent`. */
function delivered(target: { bandwidth_id: string; from_number: string; to: string }): string {
  const time = new Date().toISOString();
  return JSON.stringify([
    {
      type: 'message-delivered',
      time,
      description: 'ok',
      to: target.to,
      message: { id: target.bandwidth_id, time, to: [target.to], from: target.from_number, text: '', applicationId: 'bench-app', owner: target.from_number, direction: 'out', segmentCount: 1 },
    },
  ]);
}

/**
 * The ceiling: a raw node:http server that parses the JSON and commits one row into the same 1M database (with its
 * triggers and FTS, as an inbound message) before answering, under the same load. The requests of one event-loop
 * turn share a commit: on this machine a commit per request cannot go past ~2.5k rows/s even without HTTP, so the
 * issue's "4.0–4.3k/s answered after a durable commit" figure is a group-committing server.
 */
async function rawCeiling(dataDir: string, bodies: string[], threadIds: string[]): Promise<LoadResult> {
  // The app's connection settings (WAL, synchronous, cache, checkpoints on a worker thread), so the ceiling differs
  // from the app only in the work done.
  const db = openDatabase(dataDir);
  const insert = db.prepare(
    `INSERT INTO messages (id, bandwidth_id, thread_id, direction, from_number, to_numbers, text, status, created_at, updated_at)
     VALUES (?, ?, ?, 'in', ?, ?, ?, 'received', ?, ?)`,
  );
  let n = 0;
  let pending: { body: string; res: ServerResponse }[] = [];
  const commit = db.transaction((group: typeof pending) => {
    for (const { body } of group) {
      const [event] = JSON.parse(body) as { to: string; message: { id: string; from: string; text: string } }[];
      const now = Date.now();
      // Spread over the threads as the app's inbound bodies are (see received()), so both touch as many pages.
      insert.run(newId(now), `raw-${event!.message.id}`, threadIds[(n++ * 7919) % threadIds.length], event!.message.from, JSON.stringify([event!.to]), event!.message.text, now, now);
    }
  });
  const flush = () => {
    const group = pending;
    pending = [];
    commit(group);
    for (const { res } of group) res.writeHead(204).end();
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ body: Buffer.concat(chunks).toString('utf8'), res });
    });
  });
  try {
    return await loadServer(server, bodies);
  } finally {
    db.close();
  }
}

/** What the machine itself allows: a node:http server that answers 204 at once, under the same load. */
async function bareServer(bodies: string[]): Promise<LoadResult> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  return loadServer(server, bodies);
}

/** Listens on a free port, puts `bodies` through it under the bench's load, and closes it. */
async function loadServer(server: Server, bodies: string[]): Promise<LoadResult> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await load(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, bodies);
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

/** Callbacks through the real listener (Basic auth, JSON, schema, durable write, events) into the 1M database. */
export async function callbackBench(bench: BenchCore, dataDir: string, threads: number): Promise<Row[]> {
  const url = bench.core.callbackUrl!;
  const dbPath = join(dataDir, 'switchboard.db');
  const look = new Database(dbPath, { readonly: true });
  const targets = look
    .prepare("SELECT bandwidth_id, from_number, json_extract(to_numbers, '$[0]') AS \"to\" FROM messages WHERE direction = 'out' AND status = 'sent' LIMIT ?")
    .all((WARMUP + TIMED) / 2) as { bandwidth_id: string; from_number: string; to: string }[];
  const threadIds = look.prepare('SELECT id FROM threads').pluck().all() as string[];
  look.close();
  // Opening the copy migrated it, leaving a WAL as large as the migration: checkpoint it now, or the first phase to
  // write pays for copying it into the database.
  const settle = new Database(dbPath);
  settle.pragma('wal_checkpoint(TRUNCATE)');
  settle.close();
  // The events go to the window in its own process, as the renderer is; nothing in this one listens.
  const window = await startWindow();
  await ask(window, { url: bench.rpcUrl, origin: bench.origin }, 'open');
  const run = Date.now().toString(36);

  // Mixed traffic, as Bandwidth sends it: inbound messages and status callbacks of our sends.
  const mixed = targets.flatMap((target, i) => [received(i, `${run}m`, threads), delivered(target)]);
  const mixedResult = await load(url, mixed);
  const inbound = Array.from({ length: WARMUP + TIMED }, (_, i) => received(i, `${run}i`, threads));
  const inboundResult = await load(url, inbound);
  const expected = mixed.length / 2 + inbound.length;
  const seen = await windowStats(window, (stats) => (stats.events['message.created'] ?? 0) >= expected);
  await ask(window, { close: true }, 'closed');
  window.kill();
  const raw = await rawCeiling(dataDir, inbound, threadIds);
  const bare = await bareServer(inbound);
  const note = (r: { failures: number }) => (r.failures ? `, ${r.failures} not 2xx` : '');
  return [
    { id: 'callbacks.rate', target: `callbacks/s, 50 in flight (mixed inbound + delivered${note(mixedResult)})`, measured: Math.round(mixedResult.rate), unit: '/s', limit: 3000, better: 'higher', ceiling: Math.round(raw.rate), ceilingLabel: '/s raw http + commit' },
    { id: 'callbacks.p99', target: `callback latency p99, 50 in flight (a server that only answers: ${Math.round(percentile(bare.latencies, 99))} ms)`, measured: Math.round(percentile(mixedResult.latencies, 99) * 10) / 10, unit: 'ms', limit: 20, better: 'lower', ceiling: Math.round(percentile(raw.latencies, 99) * 10) / 10, ceilingLabel: 'ms p99 raw http + commit' },
    { id: 'callbacks.inbound', target: `inbound msgs/s into the 1M DB (the window saw ${seen.events['message.created'] ?? 0} of ${expected} new messages${note(inboundResult)})`, measured: Math.round(inboundResult.rate), unit: '/s', limit: 3500, better: 'higher', ceiling: Math.round(raw.rate), ceilingLabel: '/s raw http + commit' },
  ];
}

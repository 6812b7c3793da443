import Database from 'better-sqlite3';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { threadKey } from '../shared/domain/threadKey';
import { parseAccountConfig } from '../electron/main/core/bandwidth/account';
import { openDatabase } from '../electron/main/core/store/database';
import { insertMessageRow } from '../electron/main/core/store/messages';
import { enqueue } from '../electron/main/core/store/queue';
import { seedCustomerNumber } from '../electron/main/core/store/seed';
import { upsertThread } from '../electron/main/core/store/threads';
import type { ServerConfig, ServerStats } from './bwServer';
import type { WindowStats } from './window';
import { ask, startWindow, windowStats } from './windowClient';
import { startBenchCore } from './harness';
import type { Row } from './report';
import { DATA_DIR, OUR_NUMBERS } from './seed';

/** The raw Bandwidth-compatible server in its own process. */
async function startServer(): Promise<{ port: number; child: ChildProcess }> {
  const child = fork(join(import.meta.dirname, 'bwServer.ts'), [], { execArgv: ['--import', 'tsx'] });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { port: message.port, child };
}

/**
 * Accepts before the rate is timed: the first sends open the client's connections and run unoptimised code, in the
 * app and in the server alike (as the callbacks are timed, see LoadOptions.warmup).
 */
const WARMUP = 2000;

/** Queued messages fall due this long after the prefill, so the window is connected before the first send. */
const START_DELAY_MS = 1000;

/** A fresh data folder with `count` outbound messages waiting in the queue, spread over our numbers and 1,000 customers. */
function prefill(dir: string, count: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = openDatabase(dir);
  const now = Date.now();
  db.transaction(() => {
    const threads = new Map<number, string>();
    for (let i = 0; i < count; i++) {
      const t = i % 1000;
      const from = OUR_NUMBERS[t % OUR_NUMBERS.length]!;
      const customer = seedCustomerNumber(t);
      if (!threads.has(t)) threads.set(t, upsertThread(db, threadKey(from, [customer]), now).id);
      const id = insertMessageRow(db, { threadId: threads.get(t)!, direction: 'out', from, to: [customer], text: `Your order #${100_000 + i} has shipped 📦`, status: 'queued', createdAt: now + i, segments: 1, encoding: 'UCS-2' });
      enqueue(db, { messageId: id, nextAttemptAt: now, at: now });
    }
    // The delay counts from the end of the prefill, which takes a while.
    db.prepare('UPDATE queue SET next_attempt_at = ?').run(Date.now() + START_DELAY_MS);
  })();
  db.close();
}

/** This process's main thread's CPU time in µs (utime + stime from /proc; the host's tick is 10 ms): steadier than a rate. */
function mainThreadCpuUs(): number {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

interface DrainResult {
  stats: ServerStats;
  /** Accepts per second from the WARMUP-th to the last accept. */
  rate: number;
  /** Messages the app holds as accepted (or later) once the queue is empty. */
  acceptedInDb: number;
  /** What the window received. */
  window: WindowStats;
  /** Main-thread CPU per accepted send, from the window's connect to the empty queue. */
  cpuPerSendUs: number;
}

/** Starts the core on a prefilled folder against the server, waits until every message is accepted and the queue is empty. */
async function drain(port: number, child: ChildProcess, window: ChildProcess, config: ServerConfig & { clientMps: number }): Promise<DrainResult> {
  const dir = join(DATA_DIR, 'queue');
  prefill(dir, config.expect);
  await ask(child, { config }, 'configured');
  const base = `http://127.0.0.1:${port}`;
  const account = parseAccountConfig({
    accountId: '9900000',
    applicationId: 'bench-app',
    auth: { type: 'basic', username: 'bench', password: 'bench' },
    baseUrl: `${base}/api/v2`,
    tokenUrl: `${base}/oauth2/token`,
    dashboardUrl: `${base}/dashboard`,
    numbers: OUR_NUMBERS.map((number) => ({ number, class: 'short-code', mps: config.clientMps })),
  });
  const done = once(child, 'message');
  // The events go to the window in its own process; nothing else in this one listens.
  const bench = await startBenchCore(dir, account, { retry: { baseMs: 200, maxMs: 2000, random: Math.random } }, { wsClient: false });
  await ask(window, { url: bench.rpcUrl, origin: bench.origin }, 'open');
  const cpuBefore = mainThreadCpuUs();
  await done;
  while ((await bench.local.call('queue.status', {})).depth > 0) await new Promise((r) => setTimeout(r, 20));
  const cpuPerSendUs = (mainThreadCpuUs() - cpuBefore) / config.expect;
  const seen = await windowStats(window, (stats) => stats.accepted >= config.expect);
  await ask(window, { close: true }, 'closed');
  await bench.stop();
  const stats = await ask<ServerStats>(child, { stats: true }, 'stats');
  const all = Object.values(stats.times).flat().sort((a, b) => a - b);
  const timed = all.slice(Math.min(WARMUP, all.length - 2));
  const rate = (timed.length - 1) / ((timed.at(-1)! - timed[0]!) / 1000);
  const db = new Database(join(dir, 'switchboard.db'), { readonly: true });
  const acceptedInDb = db.prepare("SELECT count(*) FROM messages WHERE status = 'accepted'").pluck().get() as number;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { stats, rate, acceptedInDb, window: seen, cpuPerSendUs };
}

/** The HTTP ceiling: undici Pool POSTs of a send's shape to the same server, 128 in flight, timed after WARMUP of them. */
async function rawPosts(port: number, child: ChildProcess, count: number): Promise<number> {
  await ask(child, { config: { mps: 0, inject429: 0, expect: 0 } }, 'configured');
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 64 });
  const body = JSON.stringify({ from: OUR_NUMBERS[0], to: [seedCustomerNumber(1)], text: 'Your order #100001 has shipped 📦', tag: 'sb:raw', priority: 'default' });
  const post = async (n: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 128 }, async () => {
        while (next++ < n) {
          const res = await pool.request({ method: 'POST', path: '/api/v2/users/9900000/messages', headers: { 'content-type': 'application/json', authorization: 'Basic YmVuY2g6YmVuY2g=' }, body });
          await res.body.text();
        }
      }),
    );
  };
  await post(WARMUP);
  const start = performance.now();
  await post(count);
  const rate = count / ((performance.now() - start) / 1000);
  await pool.close();
  return rate;
}

/** The real send queue against a local Bandwidth-compatible server: unthrottled, rate-enforced, and with 429s injected. */
export async function queueBench(): Promise<Row[]> {
  const { port, child } = await startServer();
  const window = await startWindow();
  try {
    const ceiling = await rawPosts(port, child, 30_000);
    const free = await drain(port, child, window, { mps: 0, inject429: 0, expect: WARMUP + 20_000, clientMps: 1_000_000 });
    const mps = 200;
    const rated = await drain(port, child, window, { mps, inject429: 0, expect: 4_000, clientMps: mps });
    // What the server would have allowed each number from its first to its last send (one second of burst included)
    // against what it took: 1.0 is perfect pacing.
    const shares = Object.values(rated.stats.times).map((times) => times.length / (mps * ((times.at(-1)! - times[0]!) / 1000 + 1)));
    const ratio = shares.reduce((a, b) => a + b, 0) / shares.length;
    const faulty = await drain(port, child, window, { mps: 0, inject429: 0.1, expect: 5_000, clientMps: 1_000_000 });
    // Lost: not taken by the server, not recorded as accepted, or never shown as accepted in the window.
    const lost = 5_000 - Math.min(faulty.stats.distinctTags, faulty.acceptedInDb, faulty.window.accepted);
    const duplicates = faulty.stats.accepted - faulty.stats.distinctTags;
    return [
      { id: 'queue.unthrottled', target: `queue sends/s, unthrottled (window saw ${free.window.accepted} accepted; ${Math.round(free.cpuPerSendUs)} µs main-thread CPU/send)`, measured: Math.round(free.rate), unit: '/s', limit: 10_000, better: 'higher', ceiling: Math.round(ceiling), ceilingLabel: 'undici Pool POSTs/s' },
      { id: 'queue.rated', target: `queue achieved/allowed (${OUR_NUMBERS.length} numbers × ${mps} mps; ${rated.stats.rejected429} 429s; ${Math.round(rated.cpuPerSendUs)} µs main-thread CPU/send)`, measured: Math.round(ratio * 1000) / 1000, unit: '', limit: 0.98, better: 'higher', ceiling: 1, ceilingLabel: 'allowed' },
      { id: 'queue.429', target: `queue with 10% 429s: lost (${faulty.stats.rejected429} 429s, ${duplicates} duplicate sends)`, measured: lost + duplicates, unit: 'msgs', limit: 0, better: 'lower', ceiling: 0, ceilingLabel: '' },
    ];
  } finally {
    child.disconnect();
    window.disconnect();
  }
}

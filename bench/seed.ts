import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { threadKey } from '../shared/domain/threadKey';
import type { MessageStatus } from '../shared/ipc/schemas';
import type { Db } from '../electron/main/core/store/database';
import { openDatabase } from '../electron/main/core/store/database';
import { upsertContacts } from '../electron/main/core/store/contacts';
import { insertMessageRow } from '../electron/main/core/store/messages';
import { indexNewMessages } from '../electron/main/core/store/search';
import { seedCustomerNumber, seedHistory } from '../electron/main/core/store/seed';
import { markThreadRead, upsertThread } from '../electron/main/core/store/threads';
import { createRng, customerName, messageText, type Rng } from './text';

export const DATA_DIR = join(import.meta.dirname, 'data');
/** The sender numbers of the seeded account: threads are spread over them. */
export const OUR_NUMBERS = ['+19195550100', '+19195550101', '+18885550102', '+19195550103'];

export interface SeedSpec {
  name: string;
  threads: number;
  messages: number;
  /** Threads of a fixed size (thread index → messages); the rest share what is left, unevenly. */
  big: Record<number, number>;
}

export interface Manifest extends SeedSpec {
  /** Thread ids by index, for the fixed-size threads. */
  bigThreadIds: Record<number, string>;
  importMs: number;
  rowsPerSecond: number;
}

/** Rows per import transaction: 5,000 gave 11.5k rows/s, 50,000 gave 13.2k (fewer commits of the same hot pages). */
const IMPORT_BATCH = 50_000;

export const HISTORY: SeedSpec = { name: 'history', threads: 20_000, messages: 1_000_000, big: { 0: 5_000 } };
export const RENDERER: SeedSpec = { name: 'renderer', threads: 50_000, messages: 160_000, big: { 0: 10_000 } };

export const dataDirOf = (spec: SeedSpec) => join(DATA_DIR, spec.name);

export function readManifest(spec: SeedSpec): Manifest | null {
  const path = join(dataDirOf(spec), 'manifest.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : null;
}

/** Messages per thread: the fixed ones, the rest drawn from an exponential spread and scaled to the exact total. */
function threadSizes(spec: SeedSpec, rng: Rng): Int32Array {
  const sizes = new Int32Array(spec.threads);
  const fixed = Object.entries(spec.big).reduce((sum, [, n]) => sum + n, 0);
  const free = spec.threads - Object.keys(spec.big).length;
  const weights = Array.from({ length: spec.threads }, () => -Math.log(1 - rng()));
  const weightSum = weights.reduce((a, b, i) => a + (i in spec.big ? 0 : b), 0);
  let total = 0;
  for (let t = 0; t < spec.threads; t++) {
    sizes[t] = spec.big[t] ?? Math.max(1, Math.round((weights[t]! / weightSum) * (spec.messages - fixed)));
    total += sizes[t]!;
  }
  // Rounding leaves the total a little off: take or give one message at a time from ordinary threads.
  for (let t = 0; total !== spec.messages; t = (t + 1) % spec.threads) {
    if (t in spec.big || free === 0) continue;
    const step = total > spec.messages ? (sizes[t]! > 1 ? -1 : 0) : 1;
    sizes[t] = sizes[t]! + step;
    total += step;
  }
  return sizes;
}

/**
 * Writes the history in time order through the app's own write path (upsertThread, insertMessageRow: triggers keep
 * the thread list; the search index is filled once per batch), in transactions of IMPORT_BATCH rows. Returns the
 * time of the message import.
 */
function fill(db: Db, spec: SeedSpec): Manifest {
  const rng = createRng(20_261_126);
  const sizes = threadSizes(spec, rng);
  // One slot per message, shuffled: conversations interleave over the year as they would in real life.
  const order = new Int32Array(spec.messages);
  for (let t = 0, k = 0; t < spec.threads; t++) for (let j = 0; j < sizes[t]!; j++) order[k++] = t;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const threadIds: string[] = new Array<string>(spec.threads);
  const stepMs = Math.floor((365 * 86_400_000) / spec.messages);
  const start = Date.UTC(2026, 10, 26) - spec.messages * stepMs;
  const started = performance.now();
  for (let from = 0; from < spec.messages; from += IMPORT_BATCH) {
    db.transaction(() => {
      for (let k = from; k < Math.min(from + IMPORT_BATCH, spec.messages); k++) {
        const t = order[k]!;
        const our = OUR_NUMBERS[t % OUR_NUMBERS.length]!;
        const customer = seedCustomerNumber(t);
        const createdAt = start + k * stepMs;
        threadIds[t] ??= upsertThread(db, threadKey(our, [customer]), createdAt).id;
        const inbound = rng() < 0.5;
        const roll = rng();
        const status: MessageStatus = inbound ? 'received' : roll < 0.02 ? 'failed' : roll < 0.05 ? 'sent' : 'delivered';
        insertMessageRow(db, {
          threadId: threadIds[t]!,
          direction: inbound ? 'in' : 'out',
          from: inbound ? customer : our,
          to: [inbound ? our : customer],
          text: messageText(rng, t, inbound),
          status,
          createdAt,
          bandwidthId: `seed-${k}`,
          segments: 1,
          encoding: 'UCS-2',
        });
      }
      indexNewMessages(db);
    })();
  }
  const importMs = performance.now() - started;
  // Most conversations were read; one in ten keeps its unread count. A third of customers are contacts.
  db.transaction(() => {
    for (let t = 0; t < spec.threads; t++) if (t % 10 !== 0) markThreadRead(db, threadIds[t]!);
    const contacts = [];
    for (let t = 0; t < spec.threads; t += 3) contacts.push({ number: seedCustomerNumber(t), name: customerName(t) });
    upsertContacts(db, contacts, Date.now());
  })();
  const bigThreadIds = Object.fromEntries(Object.keys(spec.big).map((t) => [t, threadIds[Number(t)]!]));
  return { ...spec, bigThreadIds, importMs, rowsPerSecond: spec.messages / (importMs / 1000) };
}

/** Creates (replacing) the seeded data folder of `spec` and writes its manifest. */
export function seed(spec: SeedSpec): Manifest {
  const dir = dataDirOf(spec);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = openDatabase(dir);
  try {
    const manifest = fill(db, spec);
    db.pragma('wal_checkpoint(TRUNCATE)');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    return manifest;
  } finally {
    db.close();
  }
}

/**
 * Import rates in this run: the store's seeding helper (seedHistory) and the raw ceiling (prepared INSERTs of the
 * same rows straight into the same schema, thread triggers included, the FTS index filled at the end as an import
 * does), 50,000 rows each into fresh databases.
 */
export function seedRates(): { helper: number; raw: number } {
  const dir = join(DATA_DIR, 'seed-rate');
  const fresh = () => {
    rmSync(dir, { recursive: true, force: true });
    return openDatabase(dir);
  };
  let db = fresh();
  let started = performance.now();
  seedHistory(db, { threads: 2_000, messagesPerThread: 25, ourNumbers: OUR_NUMBERS });
  const helper = 50_000 / ((performance.now() - started) / 1000);
  db.close();

  db = fresh();
  const rng = createRng(1);
  const threadIds = Array.from({ length: 2_000 }, (_, t) => upsertThread(db, threadKey(OUR_NUMBERS[t % 4]!, [seedCustomerNumber(t)]), 0).id);
  const rows = Array.from({ length: 50_000 }, (_, k) => ({ id: `M${String(k).padStart(25, '0')}`, thread: threadIds[k % 2_000]!, text: messageText(rng, k % 2_000, k % 2 === 0) }));
  const insert = db.prepare(
    `INSERT INTO messages (id, bandwidth_id, thread_id, direction, from_number, to_numbers, text, status, created_at, updated_at)
     VALUES (?, ?, ?, 'in', '+19192200001', '["+19195550100"]', ?, 'received', ?, ?)`,
  );
  started = performance.now();
  db.transaction(() => {
    rows.forEach((r, k) => insert.run(r.id, `raw-${k}`, r.thread, r.text, k * 1000, k * 1000));
    indexNewMessages(db);
  })();
  const raw = 50_000 / ((performance.now() - started) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { helper, raw };
}

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

export interface LoadOptions {
  /** Requests kept in flight at once, each on its own connection. */
  inFlight: number;
  headers: Record<string, string>;
  /**
   * How many of the bodies go first, untimed but sent the same way: a server timed from its first request is timed
   * partly before its code is optimised and its page cache filled, and a listener runs all day.
   */
  warmup?: number;
}

export interface LoadResult {
  /** Requests answered per second, from the first request sent to the last answer. */
  rate: number;
  /** Each request's time from sent to fully answered, in ms. */
  latencies: number[];
  /** Answers that were not 2xx. */
  failures: number;
}

interface Job extends LoadOptions {
  url: string;
  bodies: string[];
}

const CHILD_FLAG = 'bench-load-child';

/**
 * POSTs every body to `url` from a child process through an undici Pool, `inFlight` at once. The client runs in its
 * own process so it does not take the server's event loop (or, on 2 cores, more than its own core) from the
 * server it measures; the app and its raw ceiling are loaded the same way.
 */
export function load(url: string, bodies: string[], options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // The parent's execArgv carries tsx's loader, so the child can run this same .ts file.
    const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], { execArgv: process.execArgv, serialization: 'advanced' });
    let result: LoadResult | undefined;
    child.once('message', (message: LoadResult) => (result = message));
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`the load generator exited with ${code} before answering`))));
    child.send({ url, bodies, ...options } satisfies Job);
  });
}

async function run({ url, bodies, inFlight, headers, warmup = 0 }: Job): Promise<LoadResult> {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: inFlight, pipelining: 1 });
  const latencies: number[] = [];
  let failures = 0;
  /** POSTs `list` with `inFlight` at once; each answer's latency goes to `record`. */
  const drive = async (list: string[], record: (ms: number) => void) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let i = next++; i < list.length; i = next++) {
          const sent = performance.now();
          const res = await pool.request({ method: 'POST', path: pathname, headers, body: list[i] });
          await res.body.dump();
          if (res.statusCode >= 300) failures++;
          record(performance.now() - sent);
        }
      }),
    );
  };
  await drive(bodies.slice(0, warmup), () => {});
  const timed = bodies.slice(warmup);
  const start = performance.now();
  await drive(timed, (ms) => latencies.push(ms));
  const rate = timed.length / ((performance.now() - start) / 1000);
  await pool.close();
  return { rate, latencies, failures };
}

if (process.argv[2] === CHILD_FLAG) {
  process.once('message', (job: Job) => {
    void run(job).then((result) => process.send!(result, () => process.disconnect()));
  });
}

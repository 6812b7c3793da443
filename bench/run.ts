import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readinessBench, rendererBench } from './browser';
import { callbackBench } from './callbacks';
import { startBenchCore } from './harness';
import { queueBench } from './queue';
import { queryBench } from './query';
import { printTable, writeResults, type Row } from './report';
import { DATA_DIR, dataDirOf, HISTORY, readManifest, RENDERER, seed, seedRates, type Manifest } from './seed';
import { percentile } from './stats';

/**
 * `npm run bench` measures; `npm run bench -- --seed` first (re)creates the seeded databases under bench/data/.
 * `--only seed,query,callbacks,queue,browser,renderer` runs some sections; `--repeat N` runs them N times and reports
 * each figure's median (the machine is shared: single runs are noisy).
 */
const { values } = parseArgs({ options: { seed: { type: 'boolean', default: false }, only: { type: 'string' }, repeat: { type: 'string', default: '1' } } });
const only = values.only?.split(',');
const want = (section: string) => !only || only.includes(section);

if (values.seed) {
  for (const spec of [HISTORY, RENDERER]) {
    const manifest = seed(spec);
    process.stdout.write(`seeded ${spec.name}: ${spec.messages} messages in ${spec.threads} threads at ${Math.round(manifest.rowsPerSecond)} rows/s\n`);
  }
}
const history = readManifest(HISTORY);
const renderer = readManifest(RENDERER);
if (!history || !renderer) {
  process.stderr.write('No seeded databases: run `npm run bench -- --seed` first.\n');
  process.exit(1);
}

const log = (section: string) => process.stderr.write(`bench: ${section}…\n`);

// Browser mode serves the built renderer (out/renderer): build this tree's first, as `npm run web` does, or the window
// measured would be whatever was built last (or nothing at all, on a fresh clone).
if (want('browser') || want('renderer')) {
  const root = join(import.meta.dirname, '..');
  log('building the renderer');
  const build = spawnSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

async function once(history: Manifest, renderer: Manifest): Promise<Row[]> {
  const rows: Row[] = [];
  if (want('seed')) {
    log('seed');
    const rates = seedRates();
    rows.push(
      { id: 'seed.import', target: '1M messages / 20k threads imported (at --seed time)', measured: Math.round(history.rowsPerSecond), unit: 'rows/s', limit: 15_000, better: 'higher', ceiling: Math.round(rates.raw), ceilingLabel: 'rows/s raw INSERT + FTS' },
      { id: 'seed.helper', target: 'store seedHistory helper, 50k rows', measured: Math.round(rates.helper), unit: 'rows/s', limit: 15_000, better: 'higher', ceiling: Math.round(rates.raw), ceilingLabel: 'rows/s raw INSERT + FTS' },
    );
  }

  // The benchmarks that write work on a copy, so the seeded history stays as seeded.
  const work = join(DATA_DIR, 'work');
  if (want('query') || want('callbacks') || want('browser')) {
    rmSync(work, { recursive: true, force: true });
    cpSync(dataDirOf(HISTORY), work, { recursive: true });
  }
  if (want('query')) {
    const bench = await startBenchCore(work);
    try {
      log('query');
      rows.push(...(await queryBench(bench, work, history)));
    } finally {
      await bench.stop();
    }
  }
  if (want('callbacks')) {
    // Without the WebSocket client in this process: the events go to a window in its own (see callbackBench).
    const bench = await startBenchCore(work, undefined, undefined, { wsClient: false });
    try {
      log('callbacks');
      rows.push(...(await callbackBench(bench, work, history.threads)));
    } finally {
      await bench.stop();
    }
  }
  if (want('queue')) {
    log('queue');
    rows.push(...(await queueBench()));
  }
  if (want('browser')) {
    log('browser');
    rows.push(...(await readinessBench(work, history.bigThreadIds[0]!)));
  }
  if (want('renderer')) {
    log('renderer');
    rows.push(...(await rendererBench(dataDirOf(RENDERER), renderer.bigThreadIds[0]!)));
  }
  rmSync(work, { recursive: true, force: true });
  return rows;
}

/** Each figure (and its ceiling) as the median over the runs; the wording of the last run. */
function medians(runs: Row[][]): Row[] {
  const median = (values: (number | null)[]) => (values.includes(null) ? null : percentile(values as number[], 50));
  return runs.at(-1)!.map((row) => {
    const same = runs.map((rows) => rows.find((r) => r.id === row.id)!);
    return { ...row, measured: median(same.map((r) => r.measured))!, ceiling: median(same.map((r) => r.ceiling)) };
  });
}

const runs: Row[][] = [];
for (let i = 0; i < Number(values.repeat); i++) runs.push(await once(history, renderer));
const rows = medians(runs);
process.stdout.write(`${printTable(rows)}\n`);
writeResults(join(import.meta.dirname, 'results.json'), rows, { at: new Date().toISOString(), runs: runs.length, cores: availableParallelism(), loadavg: loadavg().map((l) => Math.round(l * 100) / 100) });

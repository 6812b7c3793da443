import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from '@playwright/test';
import { WebSocket as NodeWebSocket } from 'ws';
import { createClient } from '../shared/ipc/client';
import { webSocketTransport } from '../renderer/src/api/transport';
import type { Row } from './report';
import { percentile } from './stats';

const ROOT = join(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

interface Ready {
  url: string;
  rpc: string;
}

/**
 * Browser mode's CLI on a data folder, timed from spawn to its --json ready line. It runs as `node --import tsx`
 * (what the tsx wrapper runs, minus the wrapper process) so the measured pid is the main process itself.
 */
async function spawnReady(args: string[]): Promise<{ child: ChildProcess; ms: number; line: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before it was ready`)));
  });
  return { child, ms: performance.now() - started, line };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const startCli = (dataDir: string) => spawnReady(['electron/main/host/cli.ts', '--json', '--port', '0', '--no-tunnel', '--data-dir', dataDir]);

/** Resident and peak memory of a process, in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** Ready time (median of 3 starts) against the floor (node + tsx opening the same database), and RSS after real use. */
export async function readinessBench(dataDir: string, bigThreadId: string): Promise<Row[]> {
  const floorScript = `const D = (await import('better-sqlite3')).default; const db = new D(${JSON.stringify(join(dataDir, 'switchboard.db'))}); db.prepare('SELECT count(*) FROM threads').get(); console.log('ready');`;
  const floor: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < 3; i++) {
    const f = await spawnReady(['--input-type=module', '-e', floorScript]);
    floor.push(f.ms);
    await stopChild(f.child);
    const cli = await startCli(dataDir);
    ready.push(cli.ms);
    await stopChild(cli.child);
  }
  // Memory with the database open and used as an agent would: the thread list, a long thread, a few searches.
  const cli = await startCli(dataDir);
  let mem;
  try {
    const info = JSON.parse(cli.line) as Ready;
    const origin = new URL(info.url).origin;
    const Socket = class extends NodeWebSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    } as unknown as typeof WebSocket;
    const transport = webSocketTransport(info.rpc, Socket);
    const client = createClient(transport);
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) cursor = (await client.call('threads.list', { limit: 100, ...(cursor ? { before: cursor } : {}) })).nextCursor;
    await client.call('messages.list', { threadId: bigThreadId, limit: 50 });
    for (const query of ['refund', 'therm*', '"back in stock"', 'Kowalski']) await client.call('search.query', { query, limit: 50 });
    transport.close();
    mem = memory(cli.child.pid!);
  } finally {
    await stopChild(cli.child);
  }
  return [
    { id: 'browser.ready', target: 'browser mode ready with the 1M DB (median of 3)', measured: Math.round(percentile(ready, 50)), unit: 'ms', limit: 1500, better: 'lower', ceiling: Math.round(percentile(floor, 50)), ceilingLabel: 'ms node+tsx opening the DB' },
    { id: 'browser.rss', target: `main-process RSS with the 1M DB open (peak ${mem.peak} MB)`, measured: mem.rss, unit: 'MB', limit: 250, better: 'lower', ceiling: null, ceilingLabel: '' },
  ];
}

/**
 * Scrolls an element by `step` px every animation frame for `frames` frames under a performance trace, and returns the
 * longest main-thread task of the renderer (CPU and wall time) and the rAF intervals.
 */
async function scrollFrames(page: Page, selector: string, step: number, frames: number): Promise<{ longestTask: number; longestWall: number; intervals: number[] }> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  // A string, not a function: tsx would add helpers the page does not have to a compiled function.
  const intervals = (await page.evaluate(`new Promise((resolve) => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const deltas = [];
    let last = 0;
    const tick = (now) => {
      if (last) deltas.push(now - last);
      last = now;
      el.scrollTop += ${step};
      if (deltas.length < ${frames}) requestAnimationFrame(tick);
      else resolve(deltas);
    };
    requestAnimationFrame(tick);
  })`)) as number[];
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as {
    traceEvents: { name: string; ph: string; tid: number; pid: number; dur?: number; tdur?: number; args?: { name?: string } }[];
  };
  const main = trace.traceEvents.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  const tasks = trace.traceEvents.filter((e) => e.name === 'RunTask' && e.ph === 'X' && main.includes(`${e.pid}:${e.tid}`));
  // CPU time (tdur) as well as wall time: on a shared machine a task's wall time includes time the OS gave to others.
  return { longestTask: Math.max(0, ...tasks.map((e) => (e.tdur ?? e.dur ?? 0) / 1000)), longestWall: Math.max(0, ...tasks.map((e) => (e.dur ?? 0) / 1000)), intervals };
}

/** The renderer in Chromium on browser mode: the 50,000-thread list and a 10,000-message thread, scrolled frame by frame. */
export async function rendererBench(dataDir: string, bigThreadId: string): Promise<Row[]> {
  const cli = await startCli(dataDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto((JSON.parse(cli.line) as Ready).url);
    await page.locator('[data-testid="thread-item"]').first().waitFor();
    // Start-up work (e.g. loading every unread count) is not scrolling: let it finish first.
    await page.waitForTimeout(8000);
    const list = await scrollFrames(page, '[data-testid="thread-list"]', 120, 600);
    const loadedThreads = (await page.evaluate(`document.querySelector('[data-testid="thread-list"]').firstElementChild.offsetHeight`)) as number;
    // The sandbox's simulated customers text in while browser mode runs, so every run adds threads above the big one:
    // scroll from the top until its row is drawn instead of expecting it on the first screen.
    await page.evaluate(`(async () => {
      const list = document.querySelector('[data-testid="thread-list"]');
      list.scrollTop = 0;
      while (!document.getElementById(${JSON.stringify(`thread-${bigThreadId}`)}) && list.scrollTop + list.clientHeight < list.scrollHeight) {
        list.scrollTop += 400;
        await new Promise(requestAnimationFrame);
      }
    })()`);
    await page.locator(`#thread-${bigThreadId}`).click();
    await page.locator('[data-testid="message"]').first().waitFor();
    await page.waitForTimeout(500);
    const thread = await scrollFrames(page, '.messages[role="log"]', -120, 600);
    const messages = await page.locator('[data-testid="message"]').count();
    const row = (id: string, what: string, r: { longestTask: number; longestWall: number; intervals: number[] }): Row => ({
      id,
      target: `${what}: longest main-thread task, CPU (wall ${r.longestWall.toFixed(1)} ms; rAF p99 ${percentile(r.intervals, 99).toFixed(1)} ms)`,
      measured: Math.round(r.longestTask * 10) / 10,
      unit: 'ms',
      limit: 16,
      better: 'lower',
      ceiling: null,
      ceilingLabel: '',
    });
    return [
      row('renderer.threadList', `scroll 50,000-thread list (${Math.round(loadedThreads / 1000)}k px loaded)`, list),
      row('renderer.thread', `scroll 10,000-message thread (${messages} in DOM)`, thread),
    ];
  } finally {
    await browser.close();
    await stopChild(cli.child);
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base } from '@playwright/test';
import { connectRpc, type RpcConnection } from '../support/processes';

export interface Ready {
  url: string;
  rpc: string;
  callbackUrl: string | null;
  dataDir: string;
}

/** A browser-mode Switchboard on a fresh data folder, started exactly as a user would (`npm run web -- --json`). */
export class BrowserModeApp {
  ready!: Ready;
  private child: ChildProcess | null = null;
  /** Extra command-line arguments for the next start, e.g. `--tunnel-host`. */
  args: string[] = [];
  constructor(readonly dataDir: string) {}

  async start(): Promise<Ready> {
    const root = join(import.meta.dirname, '../..');
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['electron/main/host/cli.ts', '--json', '--port', '0', '--data-dir', this.dataDir, ...this.args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child = child;
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`browser mode exited with ${code} before it was ready`)));
    });
    this.ready = JSON.parse(line) as Ready;
    return this.ready;
  }

  /** Stops like Ctrl+C does, and waits for a clean exit. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    this.child = null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  }

  async restart(): Promise<Ready> {
    await this.stop();
    return this.start();
  }
}

export const test = base.extend<{ app: BrowserModeApp; rpc: RpcConnection }>({
  // Playwright reads the fixture's dependencies from this destructuring: none.
  // eslint-disable-next-line no-empty-pattern
  app: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
    const app = new BrowserModeApp(dataDir);
    await app.start();
    await use(app);
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  },
  /** The typed client over the app's own WebSocket, as a second window would use it: how specs make their data. */
  rpc: async ({ app }, use) => {
    const rpc = await connectRpc(app.ready);
    await use(rpc);
    rpc.close();
  },
});
export { expect } from '@playwright/test';

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const root = join(import.meta.dirname, '../..');
const trap = join(root, 'tests/guard/electronTrap.mjs');
const tsx = join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(args: string[]) {
  const child = spawn(tsx, ['--import', trap, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('the core runs under plain Node without Electron', () => {
  it('the trap itself catches an electron import (so the guard can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-guard-'));
    dirs.push(dir);
    const p = run(['-e', "await import('electron')"]);
    expect(await p.exited).not.toBe(0);
    expect(p.stderr()).toContain('ELECTRON LOADED');
  });

  it('browser mode boots, answers an RPC call and stops on SIGTERM, never loading electron', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-guard-'));
    dirs.push(dataDir);
    const p = run(['electron/main/host/cli.ts', '--json', '--port', '0', '--data-dir', dataDir]);
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: p.child.stdout }).once('line', resolve);
      p.exited.then((code) => reject(new Error(`exited ${code}: ${p.stderr()}`)));
    });
    const ready = JSON.parse(firstLine) as { url: string; rpc: string; dataDir: string };
    expect(ready.dataDir).toBe(dataDir);
    expect(ready.rpc).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/rpc\?token=/);

    const origin = new URL(ready.url).origin;
    const response = await new Promise<unknown>((resolve, reject) => {
      const ws = new WebSocket(ready.rpc, { origin });
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'account.status', input: {} })));
      ws.on('message', (data) => {
        ws.close();
        resolve(JSON.parse(data.toString()));
      });
      ws.on('error', reject);
    });
    expect(response).toMatchObject({ id: 1, ok: true, output: { dataDir } });

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.stderr()).not.toContain('ELECTRON LOADED');
  });
});

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'sb-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const electronBinaryExists = () => {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  return existsSync(pathFile) && existsSync(join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim()));
};

describe('npm start', () => {
  it.skipIf(electronBinaryExists())('without an Electron binary says why in one line, then runs browser mode and stops on SIGTERM', async () => {
    const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' };
    const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0', '--data-dir', dataDir], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        if (line.includes('Open: http://127.0.0.1:')) resolve();
      });
      void exited.then((code) => reject(new Error(`start exited with ${code}: ${lines.join('\n')}`)));
    });
    expect(lines[0]).toMatch(/^No Electron binary on this machine .*: starting browser mode instead\.$/);
    expect(lines.join('\n')).toContain(`Data: ${dataDir}`);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});

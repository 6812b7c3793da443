#!/usr/bin/env node
// `npm start`: the desktop app where an Electron binary exists; otherwise it says why in one line and runs
// browser mode, opening the system browser when there is a display.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** Where the electron package would find its binary, without requiring it (that would try to download it). */
function electronBinary() {
  const pkg = join(root, 'node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const build = spawnSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const binary = electronBinary();
if (binary) {
  const child = spawn(binary, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('No Electron binary on this machine (its download is not possible here): starting browser mode instead.');
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['electron/main/host/cli.ts', '--json', ...args], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
  createInterface({ input: child.stdout }).once('line', (line) => {
    const { url, dataDir } = JSON.parse(line);
    console.log(`Switchboard is running in browser mode.\n  Open: ${url}\n  Data: ${dataDir}\nPress Ctrl+C to stop.`);
    const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
    if (hasDisplay) {
      const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
      spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

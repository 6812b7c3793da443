import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from './dataDirLock';

const dir = mkdtempSync(join(tmpdir(), 'sb-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lockDataDir', () => {
  it('lets one Switchboard hold a data folder, refuses a second, and frees it on release', () => {
    const folder = join(dir, 'one');
    const release = lockDataDir(folder);
    expect(readFileSync(join(folder, 'switchboard.lock'), 'utf8')).toBe(String(process.pid));
    // Another live process holds it: this test process, seen from a lock file naming the parent's pid.
    writeFileSync(join(folder, 'switchboard.lock'), String(process.ppid));
    expect(() => lockDataDir(folder)).toThrow(/already running with the data folder/);
    writeFileSync(join(folder, 'switchboard.lock'), String(process.pid));
    release();
    expect(existsSync(join(folder, 'switchboard.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that died (kill -9)', () => {
    const folder = join(dir, 'two');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    lockDataDir(folder)();
    writeFileSync(join(folder, 'switchboard.lock'), dead);
    const release = lockDataDir(folder);
    expect(readFileSync(join(folder, 'switchboard.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});

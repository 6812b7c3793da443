import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './sandboxSupport';

const ROOT = join(FIXTURES, '../../..');

describe('npm run sandbox', () => {
  it('prints exactly one JSON ready line on stdout, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'electron/main/sandbox/cli.ts', '--json', '--port', '0', '--no-personas'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!stdout.includes('\n')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ready line; stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const ready = JSON.parse(stdout.split('\n')[0] as string) as Record<string, unknown>;
      for (const key of ['baseUrl', 'tokenUrl', 'dashboardUrl', 'accountId', 'applicationId', 'clientId', 'clientSecret', 'numbers']) expect(ready).toHaveProperty(key);
      expect(ready.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
      expect(ready.tokenUrl).toBe(String(ready.baseUrl).replace('/api/v2', '/api/v1/oauth2/token'));
      expect(ready.dashboardUrl).toBe(String(ready.baseUrl).replace('/api/v2', '/api'));
      expect((ready.numbers as string[]).every((n) => /^\+1\d{10}$/.test(n))).toBe(true);

      const token = await fetch(String(ready.tokenUrl), {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${ready.clientId}:${ready.clientSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(token.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });
});

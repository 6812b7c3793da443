import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containedFile, fileResponse, parseRange } from './files';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'sb-files-')));
const root = join(dir, 'root');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html>');
writeFileSync(join(root, 'assets', 'a b.js'), 'console.log(1)');
writeFileSync(join(dir, 'secret.txt'), 'secret');
symlinkSync(join(dir, 'secret.txt'), join(root, 'link-out'));
symlinkSync(join(root, 'index.html'), join(root, 'link-in'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('containedFile', () => {
  it('finds files inside the root, decoding the URL path', async () => {
    expect(await containedFile(root, '/index.html')).toBe(join(root, 'index.html'));
    expect(await containedFile(root, '/assets/a%20b.js')).toBe(join(root, 'assets', 'a b.js'));
    expect(await containedFile(root, 'index.html')).toBe(join(root, 'index.html'));
    expect(await containedFile(root, '/link-in')).toBe(join(root, 'index.html'));
  });
  it('refuses anything that escapes the root or is not a file', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2Fsecret.txt',
      '/assets%2F..%2F..%2Fsecret.txt',
      `/${encodeURIComponent(join(dir, 'secret.txt'))}`,
      `/..${encodeURIComponent(join(dir, 'secret.txt'))}`,
      '/link-out',
      '/assets',
      '/',
      '',
      '/missing.html',
      '/index.html%00.png',
      '/%E0%A4%A',
    ]) {
      expect(await containedFile(root, path), path).toBeNull();
    }
  });
});

describe('parseRange', () => {
  it('reads the single-range forms', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=95-200', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
  });
  it('sends the whole file for no header or forms it does not serve', () => {
    expect(parseRange(null, 100)).toBeNull();
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
    expect(parseRange('bytes=-', 100)).toBeNull();
  });
  it('marks ranges outside the file unsatisfiable', () => {
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-5', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
  });
});

describe('fileResponse', () => {
  const file = join(dir, 'ten.bin');
  writeFileSync(file, '0123456789');
  it('streams the whole file with its length', async () => {
    const response = await fileResponse(file, new Request('app://switchboard/x'), { 'X-Test': '1' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('10');
    expect(response.headers.get('x-test')).toBe('1');
    expect(await response.text()).toBe('0123456789');
  });
  it('answers a range with 206 and only those bytes', async () => {
    const response = await fileResponse(file, new Request('app://switchboard/x', { headers: { Range: 'bytes=2-4' } }), {});
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 2-4/10');
    expect(await response.text()).toBe('234');
  });
  it('answers an unsatisfiable range with 416', async () => {
    const response = await fileResponse(file, new Request('app://switchboard/x', { headers: { Range: 'bytes=50-' } }), {});
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */10');
  });
  it('sends no body for HEAD', async () => {
    const response = await fileResponse(file, new Request('app://switchboard/x', { method: 'HEAD' }), {});
    expect(response.headers.get('content-length')).toBe('10');
    expect(await response.text()).toBe('');
  });
});

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MediaLookup, UploadHandler } from './protocols';
import { AppError } from '../../../shared/ipc/errors';
import { appProtocolHandler, registerPrivilegedSchemes } from './protocols';
import { CONTENT_SECURITY_POLICY } from './security';

const dir = mkdtempSync(join(tmpdir(), 'sb-protocols-'));
const rendererDir = join(dir, 'out', 'renderer');
const dataDir = join(dir, 'data');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
mkdirSync(join(dataDir, 'attachments', 'ab'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Switchboard</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {}');
writeFileSync(join(dir, 'outside.html'), 'outside');
writeFileSync(join(dataDir, 'attachments', 'ab', 'ab12'), '0123456789');
writeFileSync(join(dataDir, 'switchboard.db'), 'database');
symlinkSync(join(dir, 'outside.html'), join(dataDir, 'attachments', 'ab', 'link'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The core's side: attachment ids to the paths and types it recorded (some of them hostile). */
const records: Record<string, { path: string; contentType: string }> = {
  '01JATTACHMENT0000000000000': { path: 'attachments/ab/ab12', contentType: 'image/png' },
  ESCAPES: { path: 'attachments/../switchboard.db', contentType: 'image/png' },
  ABSOLUTE: { path: join(dir, 'outside.html'), contentType: 'text/html' },
  SYMLINK: { path: 'attachments/ab/link', contentType: 'text/html' },
  GONE: { path: 'attachments/ab/deleted', contentType: 'image/png' },
};
const lookedUp: string[] = [];
const media: MediaLookup = async (id) => {
  lookedUp.push(id);
  return records[id] ?? null;
};
const uploads: { name: string; size: number }[] = [];
const upload: UploadHandler = async (bytes, name) => {
  if (name.endsWith('.exe')) throw new AppError('INVALID_INPUT', `${name} cannot be sent by MMS`);
  uploads.push({ name, size: bytes.length });
  return { attachment: { id: 'A1', name, contentType: 'image/png', size: bytes.length, width: null, height: null, url: '/media/A1', state: 'ready' }, notice: null };
};
const serve = appProtocolHandler({ rendererDir, dataDir, media, upload });

describe('registerPrivilegedSchemes', () => {
  it('makes app:// a standard, secure scheme that can stream', () => {
    const registered: unknown[] = [];
    registerPrivilegedSchemes({ registerSchemesAsPrivileged: (schemes) => registered.push(...schemes) });
    expect(registered).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, stream: true }) }]);
  });
});

describe('app:// renderer files', () => {
  it('serves index.html for / with the CSP and nosniff', async () => {
    const response = await serve(new Request('app://switchboard/'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Switchboard</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
  it('serves assets with their type and the CSP', async () => {
    const response = await serve(new Request('app://switchboard/assets/app.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
  it('refuses paths outside the renderer, other hosts and other methods', async () => {
    expect((await serve(new Request('app://switchboard/%2e%2e/%2e%2e/outside.html'))).status).toBe(404);
    expect((await serve(new Request('app://switchboard/assets/..%2F..%2F..%2Foutside.html'))).status).toBe(404);
    expect((await serve(new Request('app://switchboard/missing.js'))).status).toBe(404);
    expect((await serve(new Request('app://other/index.html'))).status).toBe(404);
    expect((await serve(new Request('app://switchboard/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('app:// attachments', () => {
  it('serves an attachment by id with the recorded type, locked down', async () => {
    const response = await serve(new Request('app://switchboard/media/01JATTACHMENT0000000000000'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('0123456789');
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none';.*sandbox$/);
  });
  it('serves ranges for players', async () => {
    const response = await serve(new Request('app://switchboard/media/01JATTACHMENT0000000000000', { headers: { Range: 'bytes=2-4' } }));
    expect(response.status).toBe(206);
    expect(await response.text()).toBe('234');
  });
  it('refuses recorded paths that leave the attachments folder, and unknown or missing files', async () => {
    for (const id of ['ESCAPES', 'ABSOLUTE', 'SYMLINK', 'GONE', 'UNKNOWN']) {
      expect((await serve(new Request(`app://switchboard/media/${id}`))).status, id).toBe(404);
    }
  });
  it('never asks the core about malformed ids', async () => {
    lookedUp.length = 0;
    for (const path of ['/media/..%2Fswitchboard.db', '/media/a/b', '/media/', '/media/%00']) {
      expect((await serve(new Request(`app://switchboard${path}`))).status, path).toBe(404);
    }
    expect(lookedUp).toEqual([]);
  });
});

describe('app://switchboard/upload', () => {
  const post = (name: string | null, body: string) =>
    serve(new Request('app://switchboard/upload', { method: 'POST', body, headers: name === null ? {} : { 'X-File-Name': encodeURIComponent(name) } }));

  it('hands the raw file and its decoded name to the core and answers with the staged attachment', async () => {
    const response = await post('photo of café.png', 'PNGBYTES');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ attachment: { id: 'A1', name: 'photo of café.png', size: 8 } });
    expect(uploads.at(-1)).toEqual({ name: 'photo of café.png', size: 8 });
  });
  it('refuses a file without a name, and passes on the refusal of the core with its message', async () => {
    expect((await post(null, 'x')).status).toBe(400);
    const refused = await post('tool.exe', 'MZ');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: { code: 'INVALID_INPUT', message: 'tool.exe cannot be sent by MMS' } });
  });
  it('takes uploads only by POST', async () => {
    expect((await serve(new Request('app://switchboard/upload'))).status).toBe(404);
  });
});

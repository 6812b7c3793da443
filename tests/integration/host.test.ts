import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../electron/main/host/host';
import { CoreHarness, quietLogger } from '../support/coreHarness';

/** Browser mode's HTTP side against a real core: the page, uploads and attachments, and what it refuses. */
describe('browser-mode host', () => {
  const h = new CoreHarness();
  const rendererDir = mkdtempSync(join(tmpdir(), 'sb-renderer-'));
  let host: Host;
  let origin: string;
  let token: string;
  beforeAll(async () => {
    mkdirSync(join(rendererDir, 'assets'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Switchboard</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    await h.start();
    host = await startHost({ core: h.core, port: 0, rendererDir, logger: quietLogger });
    origin = new URL(host.url).origin;
    token = new URL(host.rpcUrl).searchParams.get('token')!;
  });
  afterAll(async () => {
    await host.close();
    await h.stop();
    rmSync(rendererDir, { recursive: true, force: true });
  });

  const upload = (name: string, body: Buffer, headers: Record<string, string> = {}) =>
    fetch(`${origin}/upload`, { method: 'POST', body: new Uint8Array(body), headers: { origin, authorization: `Bearer ${token}`, 'x-file-name': encodeURIComponent(name), ...headers } });

  it('serves the page with a CSP that allows only our scripts and our own socket; the token is never in a request', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const page = await fetch(origin);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Switchboard</title>');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${new URL(origin).port}`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${origin}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses other Host names (DNS rebinding) and paths outside the renderer', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request(`${origin}/`, { headers: { host: `evil.example:${new URL(origin).port}` } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(421);
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/assets/..%2F..%2Fswitchboard.db']) expect((await fetch(`${origin}${path}`)).status, path).toBe(404);
  });

  it('stages an upload from our page with this run’s token, and serves it back by id, in ranges too', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366ff' } }).png().toBuffer();
    const response = await upload('blue square.png', png);
    expect(response.status).toBe(200);
    const { attachment } = (await response.json()) as { attachment: { id: string; url: string; size: number } };
    expect(attachment.size).toBe(png.length);
    const media = await fetch(`${origin}${attachment.url}`);
    expect(media.headers.get('content-type')).toBe('image/png');
    expect(media.headers.get('content-disposition')).toMatch(/^inline; filename\*=UTF-8''blue%20square\.png$/);
    expect(Buffer.from(await media.arrayBuffer()).equals(png)).toBe(true);
    const part = await fetch(`${origin}${attachment.url}`, { headers: { range: 'bytes=0-7' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(png.subarray(0, 8))).toBe(true);
    expect((await fetch(`${origin}/media/NOSUCHID`)).status).toBe(404);
  });

  it('refuses uploads without the token or from another origin, and bad files with their name', async () => {
    expect((await upload('a.png', Buffer.from('x'), { authorization: 'Bearer wrong' })).status).toBe(403);
    expect((await upload('a.png', Buffer.from('x'), { origin: 'http://evil.example' })).status).toBe(403);
    const refused = await upload('tool.png', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(64)]));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('tool.png') } });
    const nameless = await fetch(`${origin}/upload`, { method: 'POST', body: 'x', headers: { origin, authorization: `Bearer ${token}` } });
    expect(nameless.status).toBe(400);
  });
});

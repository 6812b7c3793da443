import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGE_TARGET_BYTES } from '../../../../shared/domain/mms';
import { collectGarbage, MAX_FILE_BYTES, prepareOutbound, resolveStored, sniffType, storeFile } from './mediaFiles';

const dir = mkdtempSync(join(tmpdir(), 'sb-media-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const png = (size: number, noisy = false) =>
  noisy
    ? sharp(randomBytes(size * size * 3), { raw: { width: size, height: size, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer()
    : sharp({ create: { width: size, height: size, channels: 3, background: '#3366ff' } }).png().toBuffer();

describe('sniffType', () => {
  it('goes by content, not by name', async () => {
    expect(await sniffType(await png(8))).toBe('image/png');
    expect(await sniffType(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'))).toBe('application/pdf');
    expect(await sniffType(Buffer.from('BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\n'))).toBe('text/vcard');
    expect(await sniffType(Buffer.from('plain words, café'))).toBe('text/plain');
    expect(await sniffType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0]))).not.toMatch(/^(image|text)/);
    expect(await sniffType(Buffer.from([0x00, 0xff, 0xfe, 0x00, 0x13]))).toBeNull();
  });
});

describe('prepareOutbound', () => {
  it('passes an accepted small file through untouched', async () => {
    const bytes = await png(32);
    const prepared = await prepareOutbound(bytes, 'dot.png');
    expect(prepared).toEqual({ bytes, contentType: 'image/png', name: 'dot.png', notice: null, width: 32, height: 32 });
  });

  it('gives a picture its pixel size as shown (EXIF rotation applied), and other files none', async () => {
    const tall = await sharp({ create: { width: 400, height: 1200, channels: 3, background: '#3366ff' } }).jpeg().toBuffer();
    expect(await prepareOutbound(tall, 'tall.jpg')).toMatchObject({ width: 400, height: 1200 });
    // Stored 1200 wide, shown 1200 tall: the camera's orientation flag turns it.
    const turned = await sharp({ create: { width: 1200, height: 400, channels: 3, background: '#3366ff' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await prepareOutbound(turned, 'turned.jpg')).toMatchObject({ width: 400, height: 1200 });
    expect(await prepareOutbound(Buffer.from('%PDF-1.7\n'), 'a.pdf')).toMatchObject({ width: null, height: null });
  });

  it('refuses a type Bandwidth does not take, naming the file', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), randomBytes(100)]);
    await expect(prepareOutbound(elf, 'tool.jpg')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('tool.jpg') });
    await expect(prepareOutbound(Buffer.alloc(0), 'empty.png')).rejects.toThrow(/empty\.png is empty/);
  });

  it('downscales a photo over the carrier-safe size and says so', async () => {
    const big = await png(1400, true);
    expect(big.length).toBeGreaterThan(IMAGE_TARGET_BYTES);
    const prepared = await prepareOutbound(big, 'scan.png');
    expect(prepared.contentType).toBe('image/jpeg');
    expect(prepared.name).toBe('scan.jpg');
    expect(prepared.bytes.length).toBeLessThanOrEqual(IMAGE_TARGET_BYTES);
    expect(prepared.notice).toMatch(/scan\.png was resized from .* MB to .* so carriers accept it/);
    const sent = await sharp(prepared.bytes).metadata();
    expect(sent.format).toBe('jpeg');
    // The size of the resized file, not of the original.
    expect({ width: prepared.width, height: prepared.height }).toEqual({ width: sent.width, height: sent.height });
  });

  it('refuses a non-image over the per-file limit with the limit in the message', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MAX_FILE_BYTES, 0x20)]);
    await expect(prepareOutbound(pdf, 'contract.pdf')).rejects.toThrow(/contract\.pdf is 3\.5 MB; Bandwidth takes at most 3\.5 MB per file/);
  });
});

describe('stored files', () => {
  it('stores under a random name with its sha256 and refuses paths outside the folder', async () => {
    const stored = await storeFile(dir, Buffer.from('hello'));
    expect(stored.path).toMatch(/^attachments\/[0-9a-f]{2}\/[0-9a-f]{32}$/);
    expect(stored.sha256).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(existsSync(resolveStored(dir, stored.path)!)).toBe(true);
    expect(resolveStored(dir, '../etc/passwd')).toBeNull();
    expect(resolveStored(dir, 'attachments/../switchboard.db')).toBeNull();
    expect(resolveStored(dir, '/etc/passwd')).toBeNull();
  });

  it('collects only old files that nothing references', async () => {
    const kept = await storeFile(dir, Buffer.from('kept'));
    const orphan = await storeFile(dir, Buffer.from('orphan'));
    const young = await storeFile(dir, Buffer.from('young'));
    const old = new Date(Date.now() - 2 * 60 * 60_000);
    for (const f of [kept, orphan]) utimesSync(resolveStored(dir, f.path)!, old, old);
    const removed = await collectGarbage(dir, new Set([kept.path]), Date.now());
    expect(removed).toContain(orphan.path);
    expect(removed).not.toContain(kept.path);
    expect(removed).not.toContain(young.path);
    expect(existsSync(resolveStored(dir, orphan.path)!)).toBe(false);
    expect(existsSync(resolveStored(dir, young.path)!)).toBe(true);
  });
});

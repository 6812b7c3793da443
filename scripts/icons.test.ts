import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, LINUX_SIZES, buildIco, buildIcns } from './icons';

const resource = (name: string) => readFileSync(fileURLToPath(new URL(`../resources/${name}`, import.meta.url)));
const pngSize = async (png: Buffer) => {
  const { width, height, format } = await sharp(png).metadata();
  return { width, height, format };
};

/** Reads an .ico directory back: [size, png] per entry. */
function readIco(ico: Buffer): [number, Buffer][] {
  expect(ico.readUInt16LE(2)).toBe(1);
  return Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
    const entry = 6 + 16 * i;
    const size = ico.readUInt8(entry) || 256;
    return [size, ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8))];
  });
}
/** Reads .icns blocks back: [type, png] per block, checking every length. */
function readIcns(icns: Buffer): [string, Buffer][] {
  expect(icns.toString('ascii', 0, 4)).toBe('icns');
  expect(icns.readUInt32BE(4)).toBe(icns.length);
  const blocks: [string, Buffer][] = [];
  for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) blocks.push([icns.toString('ascii', at, at + 4), icns.subarray(at + 8, at + icns.readUInt32BE(at + 4))]);
  return blocks;
}

describe('icon containers', () => {
  const png = (n: number) => Buffer.alloc(n, n);
  it('buildIco writes a directory that points at each image', () => {
    expect(readIco(buildIco([{ size: 16, png: png(3) }, { size: 256, png: png(5) }]))).toEqual([[16, png(3)], [256, png(5)]]);
  });
  it('buildIcns writes typed blocks whose lengths add up', () => {
    expect(readIcns(buildIcns([{ type: 'ic07', png: png(3) }, { type: 'ic10', png: png(4) }]))).toEqual([['ic07', png(3)], ['ic10', png(4)]]);
  });
});

describe('committed icons (made by scripts/icons.ts)', () => {
  it('has every Linux size', async () => {
    for (const size of LINUX_SIZES) expect(await pngSize(resource(`icons/${size}x${size}.png`)), String(size)).toEqual({ width: size, height: size, format: 'png' });
  });
  it('has a Windows .ico with every size', async () => {
    const entries = readIco(resource('icon.ico'));
    expect(entries.map(([size]) => size)).toEqual(ICO_SIZES);
    for (const [size, image] of entries) expect(await pngSize(image)).toEqual({ width: size, height: size, format: 'png' });
  });
  it('has a macOS .icns with every type', async () => {
    const blocks = readIcns(resource('icon.icns'));
    expect(blocks.map(([type]) => type)).toEqual(ICNS_TYPES.map(([type]) => type));
    for (const [[, image], [, size]] of blocks.map((b, i) => [b, ICNS_TYPES[i]!] as const)) expect(await pngSize(image)).toEqual({ width: size, height: size, format: 'png' });
  });
  it('has the window icon and the unread overlay', async () => {
    expect(await pngSize(resource('icon.png'))).toEqual({ width: 512, height: 512, format: 'png' });
    expect(await pngSize(resource('badge.png'))).toEqual({ width: 32, height: 32, format: 'png' });
  });
});

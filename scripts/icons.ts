/**
 * Makes every icon the platforms need from resources/icon.svg, the one source image:
 *   resources/icons/<N>x<N>.png  Linux (AppImage, deb: electron-builder's linux.icon folder), 16 to 1024
 *   resources/icon.png           the window and notification icon (512)
 *   resources/icon.ico           Windows (NSIS, the executable): 16 to 256, PNG-compressed entries
 *   resources/icon.icns          macOS (dmg, the app bundle): 16 to 1024 including the @2x variants
 *   resources/badge.png          Windows taskbar overlay for unread messages (32)
 * Outputs are committed; run `npx tsx scripts/icons.ts` after changing the SVG.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** Apple's icns types that take PNG data, with their pixel sizes (ic11–ic14 are the @2x variants). */
export const ICNS_TYPES: [type: string, size: number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

/** An .ico file whose images are PNGs (Windows Vista and later read them; 256 is written as 0 in the directory). */
export function buildIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

/** An .icns file: 'icns' + total length, then one (type, length, PNG) block per image; lengths include headers. */
export function buildIcns(images: { type: string; png: Buffer }[]): Buffer {
  const blocks = images.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + blocks.reduce((n, b) => n + b.length, 0), 4);
  return Buffer.concat([head, ...blocks]);
}

/** The unread overlay: a red dot; the count itself is in the taskbar button's tooltip. */
const BADGE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="14" fill="#e5322d" stroke="#fff" stroke-width="3"/></svg>';

async function main(): Promise<void> {
  const resources = fileURLToPath(new URL('../resources/', import.meta.url));
  const svg = readFileSync(join(resources, 'icon.svg'));
  const pngs = new Map<number, Buffer>();
  for (const size of new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])) {
    // Rendered at the target size from the vector (density scales the SVG), not downscaled from one bitmap.
    pngs.set(size, await sharp(svg, { density: (72 * size) / 1024 }).resize(size, size).png({ compressionLevel: 9 }).toBuffer());
  }
  const png = (size: number) => pngs.get(size)!;
  mkdirSync(join(resources, 'icons'), { recursive: true });
  for (const size of LINUX_SIZES) writeFileSync(join(resources, 'icons', `${size}x${size}.png`), png(size));
  writeFileSync(join(resources, 'icon.png'), png(512));
  writeFileSync(join(resources, 'icon.ico'), buildIco(ICO_SIZES.map((size) => ({ size, png: png(size) }))));
  writeFileSync(join(resources, 'icon.icns'), buildIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: png(size) }))));
  writeFileSync(join(resources, 'badge.png'), await sharp(Buffer.from(BADGE_SVG)).png().toBuffer());
  console.log(`icons written to ${resources}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

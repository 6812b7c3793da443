import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { IMAGE_TARGET_BYTES } from '../../../../shared/domain/mms';
import { AppError } from '../../../../shared/ipc/errors';

/** Bandwidth's accepted upload types (messaging-openapi.yml, uploadMedia). Anything else is refused before sending. */
export const ACCEPTED_TYPES = new Set([
  'application/ogg', 'application/pdf', 'application/rtf', 'application/zip', 'application/gzip', 'application/x-bzip2',
  'application/x-tar', 'application/smil', 'application/xml', 'application/json',
  'audio/mp4', 'audio/mpeg', 'audio/ogg', 'audio/flac', 'audio/webm', 'audio/wav', 'audio/amr', 'audio/3gpp',
  'image/bmp', 'image/gif', 'image/heic', 'image/heif', 'image/jpeg', 'image/png', 'image/tiff', 'image/webp',
  'text/calendar', 'text/csv', 'text/plain', 'text/vcard', 'text/xml',
  'video/avi', 'video/mp4', 'video/mpeg', 'video/ogg', 'video/quicktime', 'video/webm', 'video/x-ms-wmv', 'video/x-flv', 'video/3gpp',
]);

/** Per file (REFERENCE.md §4, the newer 3.5 MB); images are brought under the carrier-safe size instead. */
export const MAX_FILE_BYTES = 3.5 * 1024 * 1024;
/** What we accept at all before looking inside; a larger file is refused without reading it twice. */
export const MAX_STAGED_BYTES = 50 * 1024 * 1024;

// file-type names some types differently from Bandwidth's list.
const ALIASES: Record<string, string> = { 'audio/x-wav': 'audio/wav', 'audio/vnd.wave': 'audio/wav', 'video/x-msvideo': 'video/avi', 'audio/x-flac': 'audio/flac', 'video/vnd.avi': 'video/avi', 'video/3gpp': 'video/3gpp', 'audio/x-m4a': 'audio/mp4', 'application/x-gzip': 'application/gzip', 'image/vnd.microsoft.icon': 'image/x-icon' };
const RESIZABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/bmp', 'image/tiff', 'image/heic', 'image/heif']);

const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** The type of a file by its content, never its name; text formats (which have no magic number) by their first bytes. */
export async function sniffType(bytes: Uint8Array): Promise<string | null> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) return ALIASES[found.mime] ?? found.mime;
  const head = Buffer.from(bytes.subarray(0, 4096));
  if (!isUtf8Text(head)) return null;
  const start = head.toString('utf8').trimStart().toUpperCase();
  if (start.startsWith('BEGIN:VCARD')) return 'text/vcard';
  if (start.startsWith('BEGIN:VCALENDAR')) return 'text/calendar';
  return 'text/plain';
}

function isUtf8Text(head: Buffer): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  // A cut multi-byte character at the end of the sample is fine; anything else undecodable is binary.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  const bad = [...text.slice(0, -1)].filter((c) => c === '\uFFFD').length;
  return bad === 0;
}

export interface PreparedFile {
  bytes: Buffer;
  contentType: string;
  name: string;
  /** Set when we changed the file to fit (the agent is told). */
  notice: string | null;
  /** The picture's pixel size as shown (of the final bytes); null for other files. */
  width: number | null;
  height: number | null;
}

/**
 * A picture's pixel size as a browser shows it (EXIF rotation applied), from its header; nulls for a file that is no
 * picture, or not one sharp can read (a HEIC without its codec, a damaged file): the bubble then learns the size as
 * it loads. Never throws.
 */
export async function pixelSize(bytes: Buffer, type: string): Promise<{ width: number | null; height: number | null }> {
  const none = { width: null, height: null };
  if (!type.startsWith('image/')) return none;
  try {
    const { width, height } = (await sharp(bytes).metadata()).autoOrient;
    return width > 0 && height > 0 ? { width, height } : none;
  } catch {
    return none;
  }
}

/**
 * Checks an outbound file against Bandwidth's rules and makes it fit where it can: the type by sniffing,
 * photos re-encoded under the carrier-safe size, anything else over the limit refused with its name and the limit.
 */
export async function prepareOutbound(input: Buffer, name: string): Promise<PreparedFile> {
  if (input.length === 0) throw new AppError('INVALID_INPUT', `${name} is empty.`);
  const type = await sniffType(input);
  if (!type || !ACCEPTED_TYPES.has(type)) {
    throw new AppError('INVALID_INPUT', `${name} cannot be sent by MMS: ${type ? `the type ${type} is` : 'its type is'} not one Bandwidth accepts (images, audio, video, PDF, vCard, text).`);
  }
  if (type.startsWith('image/') && input.length > IMAGE_TARGET_BYTES) {
    if (!RESIZABLE.has(type)) {
      throw new AppError('INVALID_INPUT', `${name} is ${kb(input.length)}; carriers take about 1 MB per picture and a ${type.slice(6).toUpperCase()} cannot be resized safely. Send a smaller file.`);
    }
    const bytes = await shrinkImage(input);
    if (bytes.length > IMAGE_TARGET_BYTES) throw new AppError('INVALID_INPUT', `${name} could not be made smaller than 1 MB; send a smaller picture.`);
    const jpegName = name.replace(/\.[^.]+$/, '') + '.jpg';
    const notice = `${name} was resized from ${kb(input.length)} to ${kb(bytes.length)} so carriers accept it.`;
    return { bytes, contentType: 'image/jpeg', name: jpegName, notice, ...(await pixelSize(bytes, 'image/jpeg')) };
  }
  if (input.length > MAX_FILE_BYTES) {
    throw new AppError('INVALID_INPUT', `${name} is ${kb(input.length)}; Bandwidth takes at most ${kb(MAX_FILE_BYTES)} per file.`);
  }
  return { bytes: input, contentType: type, name, notice: null, ...(await pixelSize(input, type)) };
}

/** Re-encodes a photo as JPEG, stepping down size and quality until it fits. */
async function shrinkImage(input: Buffer): Promise<Buffer> {
  let best = input;
  for (const [edge, quality] of [[2048, 82], [1600, 78], [1280, 72], [1024, 65], [800, 60]] as const) {
    best = await sharp(input, { failOn: 'error' })
      .rotate()
      .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality, mozjpeg: true })
      .toBuffer();
    if (best.length <= IMAGE_TARGET_BYTES) break;
  }
  return best;
}

export interface StoredFile {
  /** Relative to the data folder, with forward slashes. */
  path: string;
  sha256: string;
  size: number;
}

export const ATTACHMENTS_DIR = 'attachments';

/** Writes bytes under the data folder with a random name (never the sender's file name). */
export async function storeFile(dataDir: string, bytes: Buffer): Promise<StoredFile> {
  const name = randomBytes(16).toString('hex');
  const dir = join(dataDir, ATTACHMENTS_DIR, name.slice(0, 2));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), bytes, { flag: 'wx', mode: 0o600 });
  return { path: `${ATTACHMENTS_DIR}/${name.slice(0, 2)}/${name}`, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

/** The absolute path of a stored file, or null when the recorded path would leave the attachments folder. */
export function resolveStored(dataDir: string, path: string): string | null {
  const root = resolve(dataDir, ATTACHMENTS_DIR);
  const full = resolve(dataDir, path);
  return full.startsWith(root + sep) ? full : null;
}

/**
 * Removes files under attachments/ that no row references. Files younger than `graceMs` are kept: a
 * file is written just before its row, and a GC pass must not win that race.
 */
export async function collectGarbage(dataDir: string, referenced: ReadonlySet<string>, now: number, graceMs = 60 * 60_000): Promise<string[]> {
  const root = join(dataDir, ATTACHMENTS_DIR);
  const removed: string[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const rel = relative(dataDir, full).split(sep).join('/');
    if (referenced.has(rel)) continue;
    const info = await stat(full);
    if (now - info.mtimeMs < graceMs) continue;
    await rm(full, { force: true });
    removed.push(rel);
  }
  return removed;
}

import fs from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';

/**
 * Files served to the renderer (appHandler.ts, in Electron and in browser mode): containment first, then a plain or
 * ranged response.
 * fs is used through its object, not named imports: Electron patches those functions so that the renderer's
 * files can be read from inside app.asar, and a property read at call time always sees the patched one.
 */

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The real path of an existing file inside root for a URL path, or null when the path is malformed, escapes root
 * (`..`, encoded slashes, absolute paths, a symlink pointing out) or is not a regular file.
 */
export async function containedFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  return fileInside(root, resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`));
}

/** The real path of `candidate` when it is an existing regular file inside root, checked lexically and on real paths. */
export async function fileInside(root: string, candidate: string): Promise<string | null> {
  const base = resolve(root);
  const lexical = resolve(candidate);
  if (!isInside(base, lexical)) return null;
  try {
    // Checked again on real paths, so a symlink inside root cannot lead out of it.
    const [realBase, realFile] = await Promise.all([fs.promises.realpath(base), fs.promises.realpath(lexical)]);
    if (!isInside(realBase, realFile)) return null;
    return (await fs.promises.stat(realFile)).isFile() ? realFile : null;
  } catch {
    return null;
  }
}

export type ByteRange = { start: number; end: number };

/**
 * One `Range: bytes=...` header against a file size: the range to send, 'unsatisfiable' (416), or null to send
 * the whole file (no header, or a form we do not serve, such as several ranges). Video seeking needs this.
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** A response streaming the file (or the requested range of it) with the given headers. */
export async function fileResponse(path: string, request: Request, headers: Record<string, string>): Promise<Response> {
  const { size } = await fs.promises.stat(path);
  const range = parseRange(request.headers.get('range'), size);
  const base = { ...headers, 'Accept-Ranges': 'bytes' };
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` } });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  const body =
    request.method === 'HEAD' || length === 0 ? null : (Readable.toWeb(fs.createReadStream(path, { start, end })) as ReadableStream<Uint8Array>);
  return new Response(body, {
    status: range ? 206 : 200,
    headers: { ...base, 'Content-Length': String(length), ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}) },
  });
}

import { extname, join, resolve } from 'node:path';
import { AppError } from '../../../../shared/ipc/errors';
import type { StagedAttachment } from '../../../../shared/ipc/schemas';
import { ATTACHMENTS_DIR, MAX_STAGED_BYTES } from '../media/mediaFiles';
import { containedFile, fileInside, fileResponse } from './files';

/**
 * What the window loads besides RPC, the same in Electron (app://) and browser mode (http://127.0.0.1): the built
 * renderer with its CSP, attachments by id under /media/<id>, and POST /upload for the agent's files (binary never
 * travels over RPC). A Web Request → Response function, so both transports serve exactly the same thing.
 */

/** The page's CSP: only our own scripts; RPC only to our own origin (and browser mode's socket); media from /media. */
export function contentSecurityPolicy(extraConnectSrc?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    `connect-src 'self'${extraConnectSrc ? ` ${extraConnectSrc}` : ''}`,
    "font-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What the core knows about an attachment: its file (inside the data folder) and its sniffed type and name. */
export type MediaLookup = (id: string) => Promise<{ path: string; contentType: string; name?: string } | null> | { path: string; contentType: string; name?: string } | null;

/** Stages a file the agent attached (core.stageAttachment). */
export type UploadHandler = (bytes: Buffer, name: string) => Promise<StagedAttachment>;

export interface AppHandlerOptions {
  rendererDir: string;
  dataDir: string;
  media: MediaLookup;
  upload: UploadHandler;
  contentSecurityPolicy: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Types a browser may show inline; anything else downloads, so a hostile file never renders on our origin. */
const INLINE = /^(image\/(png|jpeg|gif|webp|bmp)|audio\/|video\/|application\/pdf$|text\/plain$)/;
const BASE_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cross-Origin-Resource-Policy': 'same-origin' };
const MEDIA_PATH = /^\/media\/([0-9A-Za-z_-]{1,64})$/;

const refuse = (status: number, text: string) => new Response(text, { status, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain' } });
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { ...BASE_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
const tooLarge = (name: string) => json(413, { error: { code: 'INVALID_INPUT', message: `${name} is too large to attach (over ${MAX_STAGED_BYTES / 1024 / 1024} MB).` } });

/** The body, or null once it passes `max` bytes (checked while it streams, never buffered past the cap). */
async function readCapped(request: Request, max: number): Promise<Buffer | null> {
  if (Number(request.headers.get('content-length') ?? 0) > max) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.length;
    if (size > max) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** POST /upload: the raw file with its name (percent-encoded) in X-File-Name; answers with the staged attachment. */
async function receiveUpload(request: Request, upload: UploadHandler): Promise<Response> {
  let name = '';
  try {
    name = decodeURIComponent(request.headers.get('x-file-name') ?? '').trim();
  } catch {
    // Left empty: refused below.
  }
  if (!name) return json(400, { error: { code: 'INVALID_INPUT', message: 'X-File-Name: the file needs a name' } });
  const bytes = await readCapped(request, MAX_STAGED_BYTES);
  if (!bytes) return tooLarge(name);
  try {
    return json(200, await upload(bytes, name));
  } catch (error) {
    if (error instanceof AppError) return json(error.code === 'INVALID_INPUT' ? 400 : 409, { error: { code: error.code, message: error.message } });
    return json(500, { error: { code: 'INTERNAL', message: `${name} could not be stored.` } });
  }
}

export function createAppHandler({ rendererDir, dataDir, media, upload, contentSecurityPolicy: csp }: AppHandlerOptions): (request: Request) => Promise<Response> {
  const attachmentsRoot = join(dataDir, ATTACHMENTS_DIR);
  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/upload' && request.method === 'POST') return receiveUpload(request, upload);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');

    const mediaId = MEDIA_PATH.exec(url.pathname)?.[1];
    if (mediaId) {
      const found = await media(mediaId);
      // The recorded path is trusted no more than a URL: it must stay inside the attachments folder.
      const file = found && (await fileInside(attachmentsRoot, resolve(dataDir, found.path)));
      if (!found || !file) return refuse(404, 'Not found');
      const disposition = INLINE.test(found.contentType) ? 'inline' : 'attachment';
      return fileResponse(file, request, {
        ...BASE_HEADERS,
        'Content-Type': found.contentType,
        'Content-Disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(found.name ?? mediaId)}`,
        'Cache-Control': 'private, max-age=31536000, immutable',
        // Opened on its own (an SVG, a PDF viewer), an attachment can run nothing.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      });
    }

    const file = await containedFile(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return refuse(404, 'Not found');
    return fileResponse(file, request, {
      ...BASE_HEADERS,
      'Content-Security-Policy': csp,
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Referrer-Policy': 'no-referrer',
    });
  };
}

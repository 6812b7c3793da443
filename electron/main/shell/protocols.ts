import type { Protocol } from 'electron';
import { extname, join, resolve } from 'node:path';
import { AppError } from '../../../shared/ipc/errors';
import type { StagedAttachment } from '../../../shared/ipc/schemas';
import { ATTACHMENTS_DIR } from '../core/media/mediaFiles';
import { containedFile, fileInside, fileResponse } from './files';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security';

/**
 * app:// serves the built renderer and, under /media/<id>, the attachments; nothing is ever loaded from file://.
 * Attachments share the renderer's origin because the core gives them relative URLs (`/media/<id>`), the same
 * form browser mode serves, and ids are case-sensitive (a scheme of their own, media://<id>, would lowercase
 * them as a host). Everything refuses paths outside its root (files.ts) and answers only GET and HEAD.
 */

/** Must run before app `ready`: standard + secure gives app:// a real origin, storage and secure-context APIs. */
export function registerPrivilegedSchemes(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    // stream: audio and video elements read attachments in ranges.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/** What the core knows about an attachment: its file (relative to the data folder, as stored) and its sniffed type. */
export type MediaLookup = (id: string) => Promise<{ path: string; contentType: string } | null> | { path: string; contentType: string } | null;

/** Stages a file the agent attached (core.stageAttachment); binary never goes over IPC. */
export type UploadHandler = (bytes: Buffer, name: string) => Promise<StagedAttachment>;

export interface AppProtocolOptions {
  rendererDir: string;
  dataDir: string;
  media: MediaLookup;
  upload: UploadHandler;
}

const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { ...BASE_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

/** POST app://switchboard/upload: the raw file with its name in X-File-Name, as in browser mode. */
async function receiveUpload(request: Request, upload: UploadHandler): Promise<Response> {
  let name = '';
  try {
    name = decodeURIComponent(request.headers.get('x-file-name') ?? '').trim();
  } catch {
    // Left empty: refused below.
  }
  if (!name) return json(400, { error: { code: 'INVALID_INPUT', message: 'X-File-Name: the file needs a name' } });
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > MAX_UPLOAD_BYTES) return json(413, { error: { code: 'INVALID_INPUT', message: `${name} is too large to attach (over 50 MB).` } });
  try {
    return json(200, await upload(bytes, name));
  } catch (error) {
    if (error instanceof AppError) return json(error.code === 'INVALID_INPUT' ? 400 : 409, { error: { code: error.code, message: error.message } });
    return json(500, { error: { code: 'INTERNAL', message: `${name} could not be stored.` } });
  }
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

const BASE_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cross-Origin-Resource-Policy': 'same-origin' };
const MEDIA_PATH = /^\/media\/([0-9A-Za-z_-]{1,64})$/;

const refuse = (status: number, text: string) => new Response(text, { status, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain' } });

/** The app:// handler: the renderer's files with the CSP, and attachments by id. */
export function appProtocolHandler({ rendererDir, dataDir, media, upload }: AppProtocolOptions): (request: Request) => Promise<Response> {
  const attachmentsRoot = join(dataDir, ATTACHMENTS_DIR);
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return refuse(404, 'Not found');
    if (url.pathname === '/upload' && request.method === 'POST') return receiveUpload(request, upload);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');

    const mediaId = MEDIA_PATH.exec(url.pathname)?.[1];
    if (mediaId) {
      const found = await media(mediaId);
      // The recorded path is trusted no more than a URL: it must stay inside the attachments folder.
      const file = found && (await fileInside(attachmentsRoot, resolve(dataDir, found.path)));
      if (!found || !file) return refuse(404, 'Not found');
      return fileResponse(file, request, {
        ...BASE_HEADERS,
        'Content-Type': found.contentType,
        // Opened on its own (an SVG, a PDF viewer), an attachment can run nothing.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      });
    }

    const file = await containedFile(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return refuse(404, 'Not found');
    return fileResponse(file, request, {
      ...BASE_HEADERS,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    });
  };
}

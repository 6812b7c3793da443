import type { Protocol } from 'electron';
import { fileTypeFromFile } from 'file-type';
import { extname } from 'node:path';
import { containedFile, fileResponse } from './files';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY, MEDIA_SCHEME } from './security';

/**
 * app:// serves the built renderer and media:// serves attachments; nothing is ever loaded from file://.
 * Both refuse anything outside their root (files.ts) and answer only GET and HEAD.
 */

/** Must run before app `ready`: standard + secure gives app:// a real origin, storage and secure-context APIs. */
export function registerPrivilegedSchemes(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    // stream: audio and video elements read attachments in ranges.
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true } },
  ]);
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

const refuse = (status: number, text: string) => new Response(text, { status, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain' } });

type Handler = (request: Request) => Promise<Response>;

/** The renderer: app://switchboard/<path> inside rendererDir, `/` meaning index.html, with the CSP on every answer. */
export function rendererHandler(rendererDir: string): Handler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return refuse(404, 'Not found');
    const file = await containedFile(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return refuse(404, 'Not found');
    return fileResponse(file, request, {
      ...BASE_HEADERS,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    });
  };
}

/**
 * Attachment ids as the core names them: random, lowercase (Chromium lowercases the host of a standard scheme,
 * so `media://<id>` only round-trips lowercase ids), no path separators.
 */
const MEDIA_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/**
 * Attachments: media://<id> is the file <id> in mediaDir. The type is sniffed from the content, never taken from a
 * name; anything unrecognised goes out as an opaque download with nosniff, and a sandboxing CSP covers the rest.
 */
export function mediaHandler(mediaDir: string): Handler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
    const url = new URL(request.url);
    if (!MEDIA_ID.test(url.host) || (url.pathname !== '' && url.pathname !== '/')) return refuse(404, 'Not found');
    const file = await containedFile(mediaDir, url.host);
    if (!file) return refuse(404, 'Not found');
    const type = (await fileTypeFromFile(file))?.mime ?? 'application/octet-stream';
    return fileResponse(file, request, {
      ...BASE_HEADERS,
      // Loaded cross-origin from app://, so same-origin would block it; the page's CSP already limits who embeds it.
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Content-Type': type,
    });
  };
}

/** Installs both handlers on a session's protocol registry (after `ready`). */
export function serveProtocols(protocol: Pick<Protocol, 'handle'>, dirs: { renderer: string; media: string }): void {
  protocol.handle(APP_SCHEME, rendererHandler(dirs.renderer));
  protocol.handle(MEDIA_SCHEME, mediaHandler(dirs.media));
}

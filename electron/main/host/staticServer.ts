import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The browser-mode CSP: our own scripts only, RPC only to our own socket, media only from our own /media route. */
export function contentSecurityPolicy(wsOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    `connect-src 'self' ${wsOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Resolves a URL path inside root, or null when it would escape it (../, encoded slashes, absolute paths). */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const full = resolve(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  return full === base || full.startsWith(base + sep) ? full : null;
}

/** Serves the built renderer; unknown paths fall back to index.html (one-page app). */
export function serveStatic(root: string, request: IncomingMessage, response: ServerResponse, headers: Record<string, string>): void {
  const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
  let file = resolveInside(root, pathname === '/' ? '/index.html' : pathname);
  if (!file) {
    response.writeHead(400, headers).end('Bad path');
    return;
  }
  let stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) {
    file = resolve(root, 'index.html');
    stat = statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) {
      response.writeHead(503, { ...headers, 'Content-Type': 'text/plain' }).end('The renderer is not built: run `npm run build`.');
      return;
    }
  }
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  response.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': stat.size, 'Cache-Control': cache });
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
}

import type { Protocol } from 'electron';
import { createAppHandler, type AppHandlerOptions } from '../core/serve/appHandler';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security';

/**
 * app:// serves the renderer, attachments under /media/<id> and uploads under /upload (core/serve/appHandler.ts,
 * the same handler browser mode serves over HTTP); nothing is ever loaded from file://. Attachments share the
 * renderer's origin because the core gives them relative URLs, and ids are case-sensitive (a scheme of their own,
 * media://<id>, would lowercase them as a host).
 */

/** Must run before app `ready`: standard + secure gives app:// a real origin, storage and secure-context APIs. */
export function registerPrivilegedSchemes(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    // stream: audio and video elements read attachments in ranges.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export type { MediaLookup, UploadHandler } from '../core/serve/appHandler';
export type AppProtocolOptions = Omit<AppHandlerOptions, 'contentSecurityPolicy'>;

/** The app:// handler: only our host, then the shared handler with the desktop CSP. */
export function appProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const handle = createAppHandler({ ...options, contentSecurityPolicy: CONTENT_SECURITY_POLICY });
  return async (request) =>
    new URL(request.url).host === APP_HOST
      ? handle(request)
      : new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain', 'X-Content-Type-Options': 'nosniff' } });
}

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Core } from '../core/createCore';
import type { Logger } from '../core/platform/ports';
import { attachWsTransport, sameSecret } from '../core/rpc/wsTransport';
import { receiveUpload, serveMedia } from './routes';
import { contentSecurityPolicy, serveStatic } from './staticServer';

export interface HostOptions {
  core: Core;
  port: number;
  rendererDir: string;
  logger: Logger;
}

export interface Host {
  /** The page to open; the per-run token rides in the fragment, which never reaches a server or a log. */
  url: string;
  rpcUrl: string;
  close(): Promise<void>;
}

const RPC_PATH = '/rpc';

/** Browser mode's front door: the built renderer with a CSP, and the RPC WebSocket, on 127.0.0.1 only. */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = randomBytes(24).toString('base64url');
  let origin = '';
  const server = createServer((request, response) => {
    const host = new URL(origin).host;
    // Refuse other Host names so a DNS-rebinding page cannot read our pages.
    if (request.headers.host !== host) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    const { pathname } = new URL(request.url ?? '/', origin);
    if (pathname === '/upload') {
      if (request.method !== 'POST') return void response.writeHead(405, { Allow: 'POST' }).end();
      // The same two checks as the RPC socket: our own page, this run's token.
      if (request.headers.origin !== origin || !sameSecret(String(request.headers.authorization ?? ''), `Bearer ${token}`)) {
        return void response.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden');
      }
      void receiveUpload(options.core, request, response, options.logger);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const media = /^\/media\/([A-Za-z0-9_-]{1,64})$/.exec(pathname);
    if (media) return serveMedia(options.core, media[1]!, request, response);
    serveStatic(options.rendererDir, request, response, {
      'Content-Security-Policy': contentSecurityPolicy(`ws://${host}`),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  const ws = attachWsTransport({ server, path: RPC_PATH, token, allowedOrigin: () => origin, endpoint: options.core.rpc, logger: options.logger });
  return {
    url: `${origin}/#token=${token}`,
    rpcUrl: `ws://127.0.0.1:${port}${RPC_PATH}?token=${token}`,
    async close() {
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const defaultRendererDir = (projectRoot: string) => join(projectRoot, 'out', 'renderer');

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Core } from '../core/createCore';
import type { Logger } from '../core/platform/ports';
import { attachWsTransport, sameSecret } from '../core/rpc/wsTransport';
import { contentSecurityPolicy, createAppHandler } from '../core/serve/appHandler';

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

/** Node's request as a Web Request, so browser mode serves through the same handler as Electron's app://. */
function toWebRequest(request: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(`${origin}${request.url ?? '/'}`, {
    method: request.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  Readable.fromWeb(response.body as NodeReadableStream).pipe(res);
}

/** Browser mode's front door on 127.0.0.1: the window (core/serve/appHandler.ts) and the RPC WebSocket. */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = randomBytes(24).toString('base64url');
  let origin = '';
  let handle: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const server = createServer((req, res) => {
    // Refuse other Host names so a DNS-rebinding page cannot read our pages.
    if (req.headers.host !== new URL(origin).host) return void res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
    // A page whose socket is refused asks whether its token is still this run's (a restart makes a new one), to tell
    // the agent to reload rather than wait. The answer says only yes or no; upgrades never reach this handler.
    if (req.method === 'GET' && new URL(req.url ?? '/', origin).pathname === RPC_PATH) {
      const current = sameSecret(String(req.headers.authorization ?? ''), `Bearer ${token}`);
      return void res.writeHead(current ? 204 : 401, { 'Cache-Control': 'no-store' }).end();
    }
    // Uploads change state: the same two checks as the RPC socket, our own page and this run's token.
    if (req.method === 'POST' && (req.headers.origin !== origin || !sameSecret(String(req.headers.authorization ?? ''), `Bearer ${token}`))) {
      req.resume();
      return void res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden');
    }
    handle(toWebRequest(req, origin))
      .then((response) => send(response, res))
      .catch((error: unknown) => {
        options.logger.error('serving a request failed', { url: req.url, error: String(error) });
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  handle = createAppHandler({
    rendererDir: options.rendererDir,
    dataDir: options.core.dataDir,
    media: (id) => options.core.resolveMedia(id),
    upload: (bytes, name) => options.core.stageAttachment(bytes, name),
    contentSecurityPolicy: contentSecurityPolicy(`ws://127.0.0.1:${port}`),
  });
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

import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventEnvelope, RpcEndpoint } from '../../../../shared/ipc/envelope';
import type { Logger } from '../platform/ports';

export interface WsTransportOptions {
  server: Server;
  path: string;
  token: string;
  /** The page's own origin; any other Origin header is refused. */
  allowedOrigin: () => string;
  endpoint: RpcEndpoint;
  logger: Logger;
  maxPayload?: number;
}

/** How long events wait to share a frame: less than a display frame (16 ms). */
const EVENT_FRAME_MS = 10;

/** Constant-time comparison of two secrets. */
export const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The browser-mode transport: the same envelopes as Electron IPC, over a WebSocket on 127.0.0.1.
 * An upgrade is refused unless it carries the per-run token and comes from our own page's origin.
 */
export function attachWsTransport(options: WsTransportOptions): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 1024 * 1024 });

  const refuse = (socket: Duplex, status: number, reason: string) => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== options.path) return refuse(socket, 404, 'Not Found');
    if (!sameSecret(url.searchParams.get('token') ?? '', options.token)) {
      options.logger.warn('websocket refused: wrong token');
      return refuse(socket, 401, 'Unauthorized');
    }
    if (request.headers.origin !== options.allowedOrigin()) {
      options.logger.warn('websocket refused: wrong origin', { origin: request.headers.origin ?? null });
      return refuse(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws));
  };

  const serve = (ws: WebSocket) => {
    // Events go out as one frame every EVENT_FRAME_MS at most, a JSON array of envelopes: under load the engine emits
    // thousands a second over many turns of the event loop, and a frame (a socket write, and a message for the page
    // to parse) per turn would cost more than the events themselves.
    let events: EventEnvelope[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (events.length === 0) return;
      const frame = JSON.stringify(events);
      events = [];
      if (ws.readyState === ws.OPEN) ws.send(frame);
    };
    const unsubscribe = options.endpoint.subscribe((envelope) => {
      if (events.length === 0) timer = setTimeout(flush, EVENT_FRAME_MS);
      events.push(envelope);
    });
    ws.on('close', () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = null;
    });
    ws.on('message', async (data, isBinary) => {
      let raw: unknown;
      try {
        if (isBinary) throw new Error('binary frame');
        raw = JSON.parse(data.toString());
      } catch {
        ws.send(JSON.stringify({ id: 0, ok: false, error: { code: 'INVALID_INPUT', message: 'request: not a JSON text frame' } }));
        return;
      }
      const response = await options.endpoint.handle(raw);
      // Events emitted before the answer go first, so the page sees them in the order they happened.
      flush();
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
    });
  };

  options.server.on('upgrade', onUpgrade);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        options.server.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

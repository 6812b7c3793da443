import { EventEmitter } from 'node:events';
import http from 'node:http';
import net from 'node:net';

/**
 * A loopback stand-in for a localtunnel server (../shared/TOOLCHAIN.md, pitfall 6), speaking the protocol of
 * the localtunnel clients:
 *   - `GET /?new` or `GET /{subdomain}` → 200 `{id, port, max_conn_count, url}`; the subdomain asked for
 *     becomes the id (and so the URL) unless rotateNextId() was called;
 *   - the client's TCP connections are accepted on `port` (one listener per registration);
 *   - each id has a "public" listener (its `url`, http://127.0.0.1:P): a connection to it is piped, bytes
 *     untouched, to one idle client connection, which carries the request to the client's local server.
 */
export interface LocaltunnelServer {
  /** The server's base URL, the client's `host` option. */
  readonly host: string;
  /** Registrations received, in order: the subdomain asked for, or null for `GET /?new`. */
  readonly requested: readonly (string | null)[];
  /** How registrations are answered from now on: normally, with this HTTP status, or never ('hang'). */
  respondWith(mode: 'ok' | 'hang' | number): void;
  /** The next registration gets a fresh id and URL whatever it asks for, as when a subdomain is taken. */
  rotateNextId(): void;
  /** Closes every client connection; the client replaces them under the same registration. */
  dropSockets(): void;
  /** Forgets every client (closes its port and connections), as localtunnel does; clients must register again. */
  expire(): void;
  /** Client connections open now. */
  socketCount(): number;
  /** Resolves when exactly n client connections are open. */
  waitForSockets(n: number): Promise<void>;
  close(): Promise<void>;
}

interface Client {
  listener: net.Server;
  sockets: Set<net.Socket>;
  idle: net.Socket[];
}

interface Public {
  url: string;
  listener: net.Server;
  waiting: net.Socket[];
}

function remove<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}

export async function startLocaltunnelServer(options: { maxConnCount?: number } = {}): Promise<LocaltunnelServer> {
  const maxConnCount = options.maxConnCount ?? 2;
  const requested: (string | null)[] = [];
  const clients = new Map<string, Client>();
  const publics = new Map<string, Public>();
  const everySocket = new Set<net.Socket>();
  const changed = new EventEmitter();
  let mode: 'ok' | 'hang' | number = 'ok';
  let rotate = false;
  let fresh = 0;

  const track = (socket: net.Socket) => {
    everySocket.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => everySocket.delete(socket));
  };
  const socketCount = () => [...clients.values()].reduce((n, c) => n + c.sockets.size, 0);

  const pair = (id: string) => {
    const pub = publics.get(id);
    const client = clients.get(id);
    while (pub?.waiting.length && client?.idle.length) {
      const outside = pub.waiting.shift() as net.Socket;
      const tunnel = client.idle.shift() as net.Socket;
      outside.pipe(tunnel).pipe(outside);
      // end(), not destroy(): the other side may still be flushing the last bytes of the answer.
      outside.once('close', () => tunnel.end());
      tunnel.once('close', () => outside.end());
    }
  };

  const listen = async (onConnection: (socket: net.Socket) => void): Promise<{ listener: net.Server; port: number }> => {
    const listener = net.createServer((socket) => {
      track(socket);
      onConnection(socket);
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    return { listener, port: (listener.address() as net.AddressInfo).port };
  };

  const forget = (id: string) => {
    const client = clients.get(id);
    if (!client) return;
    clients.delete(id);
    client.listener.close();
    for (const socket of client.sockets) socket.destroy();
  };

  const register = async (id: string) => {
    forget(id);
    if (!publics.has(id)) {
      const waiting: net.Socket[] = [];
      const { listener, port } = await listen((socket) => {
        waiting.push(socket);
        socket.once('close', () => remove(waiting, socket));
        pair(id);
      });
      publics.set(id, { url: `http://127.0.0.1:${port}`, listener, waiting });
    }
    const sockets = new Set<net.Socket>();
    const idle: net.Socket[] = [];
    const { listener, port } = await listen((socket) => {
      sockets.add(socket);
      idle.push(socket);
      socket.once('close', () => {
        sockets.delete(socket);
        remove(idle, socket);
        changed.emit('change');
      });
      changed.emit('change');
      pair(id);
    });
    clients.set(id, { listener, sockets, idle });
    return { id, port, max_conn_count: maxConnCount, url: (publics.get(id) as Public).url };
  };

  const api = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const asked = url.search === '?new' ? null : decodeURIComponent(url.pathname.slice(1));
    requested.push(asked);
    if (mode === 'hang') return;
    if (mode !== 'ok') {
      res.writeHead(mode, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `test server answers ${mode}` }));
      return;
    }
    const id = asked && !rotate ? asked : `fresh${++fresh}`;
    rotate = false;
    void register(id).then((body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));

  return {
    host: `http://127.0.0.1:${(api.address() as net.AddressInfo).port}`,
    requested,
    respondWith(next) {
      mode = next;
    },
    rotateNextId() {
      rotate = true;
    },
    dropSockets() {
      for (const client of clients.values()) for (const socket of client.sockets) socket.destroy();
    },
    expire() {
      for (const id of [...clients.keys()]) forget(id);
    },
    socketCount,
    waitForSockets(n) {
      return new Promise((resolve) => {
        const check = () => {
          if (socketCount() !== n) return;
          changed.off('change', check);
          resolve();
        };
        changed.on('change', check);
        check();
      });
    },
    async close() {
      for (const id of [...clients.keys()]) forget(id);
      for (const socket of everySocket) socket.destroy();
      api.closeAllConnections();
      const closing = [api, ...[...publics.values()].map((p) => p.listener)];
      await Promise.all(closing.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

import type { ClientTransport, EventEnvelope, RequestEnvelope, ResponseEnvelope } from '../../../shared/ipc/envelope';
import { eventEnvelope, responseEnvelope } from '../../../shared/ipc/envelope';
import { events } from '../../../shared/ipc/contract';

/** What the Electron preload exposes on window.switchboard (see electron/preload). */
interface PreloadBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/**
 * `closed`: the socket dropped and the transport keeps trying; `restarted`: the server is back but refuses this
 * window's token (each run of Switchboard makes a new one), so trying again cannot help until a new token comes.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'restarted';

export interface LiveTransport extends ClientTransport {
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** Tries again now, with the token the URL source gives at this moment. */
  reconnect(): void;
  close(): void;
}

/** The only place that knows which transport is live: Electron's preload bridge, or browser mode's WebSocket. */
export function connectTransport(): LiveTransport {
  const bridge = (window as unknown as { switchboard?: PreloadBridge }).switchboard;
  if (bridge) return preloadTransport(bridge);
  const transport = webSocketTransport(browserModeRpcUrl);
  // A new run's address opened in this tab (only the fragment changes) or in another tab of this browser brings the
  // token this window needs after a restart.
  window.addEventListener('hashchange', () => takeTokenFromUrl() && transport.reconnect());
  window.addEventListener('storage', (e) => e.key === TOKEN_KEY && e.newValue && transport.reconnect());
  return transport;
}

function preloadTransport(bridge: PreloadBridge): LiveTransport {
  return {
    // The bridge answers with a response envelope; our id is put back so the client can match it.
    request: async (envelope) => responseEnvelope.parse({ ...(await bridge.invoke(envelope.method, envelope.input)) as object, id: envelope.id }),
    onEvent: (listener) => {
      const offs = Object.keys(events).map((event) => bridge.subscribe(event, (payload) => listener({ event, payload })));
      return () => offs.forEach((off) => off());
    },
    onConnectionChange: (listener) => {
      listener('open');
      return () => {};
    },
    reconnect: () => {},
    close: () => {},
  };
}

const TOKEN_KEY = 'switchboard.token';

/**
 * Browser mode: the per-run token arrives in the page URL's fragment. It is kept for this origin (our port) and
 * taken out of the address bar, so a reload, or another tab, uses the newest run's token rather than the one an
 * old address carries. The server still accepts only the current run's token from our own origin.
 */
function takeTokenFromUrl(): boolean {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) return false;
  localStorage.setItem(TOKEN_KEY, token);
  history.replaceState(null, '', location.pathname + location.search);
  return true;
}

/** The token for the host's own HTTP endpoints (uploads), as for the socket. */
export function browserModeToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

function browserModeRpcUrl(): string {
  takeTokenFromUrl();
  return `ws://${location.host}/rpc?token=${encodeURIComponent(browserModeToken() ?? '')}`;
}

/** The host's answer to "is this token still this run's?" (host.ts): 401 once Switchboard restarted. */
async function tokenRefused(rpcUrl: string): Promise<boolean> {
  const url = new URL(rpcUrl);
  const token = url.searchParams.get('token') ?? '';
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.search = '';
  try {
    return (await fetch(url, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' })).status === 401;
  } catch {
    return false; // Nobody answers: the host is down, not restarted.
  }
}

const unavailable = (id: number, message = 'Not connected to Switchboard.'): ResponseEnvelope => ({ id, ok: false, error: { code: 'UNAVAILABLE', message } });

/**
 * Exported for the contract tests, which run it under Node with the `ws` package's WebSocket. `url` is read at
 * every attempt, so a token that changed is picked up. A request made while the socket is down fails at once
 * (UNAVAILABLE) rather than waiting for a connection that may not come back.
 */
export function webSocketTransport(url: string | (() => string), Socket: typeof WebSocket = WebSocket): LiveTransport {
  const rpcUrl = typeof url === 'string' ? () => url : url;
  const pending = new Map<number, (response: ResponseEnvelope) => void>();
  const eventListeners = new Set<(envelope: EventEnvelope) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let socket: WebSocket | null = null;
  /** Whether the latest attempt opened: a request waits for an attempt under way, not for the ones after it. */
  let opened: Promise<boolean> = Promise.resolve(false);
  let retry: ReturnType<typeof setTimeout> | null = null;
  let retryMs = 250;
  let closed = false;

  let state: ConnectionState = 'connecting';
  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    stateListeners.forEach((l) => l(next));
  };
  /**
   * Each event of a batch in order, each on its own: a malformed envelope is skipped, and a listener that throws
   * (e.g. on a payload the contract refuses) does not cost the events after it; its error is rethrown at the end.
   */
  const deliverEvents = (batch: unknown[]) => {
    const errors: unknown[] = [];
    for (const item of batch) {
      const envelope = eventEnvelope.safeParse(item);
      if (!envelope.success) continue;
      for (const listener of eventListeners) {
        try {
          listener(envelope.data);
        } catch (error) {
          errors.push(error);
        }
      }
    }
    if (errors.length > 0) throw errors[0];
  };
  const connect = () => {
    if (retry) clearTimeout(retry);
    retry = null;
    const attempt = rpcUrl();
    const ws = new Socket(attempt);
    socket = ws;
    let wasOpen = false;
    opened = new Promise((resolve) => {
      ws.addEventListener('open', () => resolve(true), { once: true });
      ws.addEventListener('close', () => resolve(false), { once: true });
    });
    ws.addEventListener('open', () => {
      wasOpen = true;
      retryMs = 250;
      setState('open');
    });
    ws.addEventListener('message', (event) => {
      const data: unknown = JSON.parse(String(event.data));
      // Events come in batches (a JSON array, see wsTransport); anything else is the answer to a request.
      if (Array.isArray(data)) return deliverEvents(data);
      const response = responseEnvelope.safeParse(data);
      if (response.success) {
        pending.get(response.data.id)?.(response.data);
        pending.delete(response.data.id);
      }
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return; // an attempt that reconnect() replaced: nothing was sent on it
      for (const [id, resolve] of pending) resolve(unavailable(id, 'Lost the connection to Switchboard.'));
      pending.clear();
      if (closed) return;
      socket = null;
      if (wasOpen) setState('closed');
      // A socket that never opened may have been refused: a restarted Switchboard does not know our token, and no
      // retry helps until a new one comes (reconnect()). Otherwise try again with back-off: the host may be coming back.
      void (wasOpen ? Promise.resolve(false) : tokenRefused(attempt)).then((refused) => {
        if (closed || socket) return;
        setState(refused ? 'restarted' : 'closed');
        if (refused) return;
        retry = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      });
    });
  };
  connect();

  return {
    async request(envelope: RequestEnvelope) {
      const ws = socket;
      if (!ws || !(await opened) || ws.readyState !== ws.OPEN) return unavailable(envelope.id);
      return new Promise<ResponseEnvelope>((resolve) => {
        pending.set(envelope.id, resolve);
        ws.send(JSON.stringify(envelope));
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onConnectionChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    reconnect() {
      if (closed || socket?.readyState === Socket.OPEN) return;
      socket?.close();
      socket = null;
      retryMs = 250;
      connect();
    },
    close() {
      closed = true;
      if (retry) clearTimeout(retry);
      socket?.close();
    },
  };
}

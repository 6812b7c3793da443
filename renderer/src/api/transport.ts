import type { ClientTransport, EventEnvelope, RequestEnvelope, ResponseEnvelope } from '../../../shared/ipc/envelope';
import { eventEnvelope, responseEnvelope } from '../../../shared/ipc/envelope';
import { events } from '../../../shared/ipc/contract';

/** What the Electron preload exposes on window.switchboard (see electron/preload). */
interface PreloadBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface LiveTransport extends ClientTransport {
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** The only place that knows which transport is live: Electron's preload bridge, or browser mode's WebSocket. */
export function connectTransport(): LiveTransport {
  const bridge = (window as unknown as { switchboard?: PreloadBridge }).switchboard;
  return bridge ? preloadTransport(bridge) : webSocketTransport(browserModeRpcUrl());
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
    close: () => {},
  };
}

/** Browser mode: the per-run token arrives in the page URL's fragment; a reload keeps it for this tab. */
function browserModeRpcUrl(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) sessionStorage.setItem('switchboard.token', fromHash);
  const token = fromHash ?? sessionStorage.getItem('switchboard.token') ?? '';
  return `ws://${location.host}/rpc?token=${encodeURIComponent(token)}`;
}

/** Exported for the contract tests, which run it under Node with the `ws` package's WebSocket. */
export function webSocketTransport(url: string, Socket: typeof WebSocket = WebSocket): LiveTransport {
  const pending = new Map<number, (response: ResponseEnvelope) => void>();
  const eventListeners = new Set<(envelope: EventEnvelope) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let socket: WebSocket;
  let opened: Promise<void>;
  let retryMs = 250;
  let closed = false;

  const setState = (state: ConnectionState) => stateListeners.forEach((l) => l(state));
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
    setState('connecting');
    socket = new Socket(url);
    opened = new Promise((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));
    socket.addEventListener('open', () => {
      retryMs = 250;
      setState('open');
    });
    socket.addEventListener('message', (event) => {
      const data: unknown = JSON.parse(String(event.data));
      // Events come in batches (a JSON array, see wsTransport); anything else is the answer to a request.
      if (Array.isArray(data)) return deliverEvents(data);
      const response = responseEnvelope.safeParse(data);
      if (response.success) {
        pending.get(response.data.id)?.(response.data);
        pending.delete(response.data.id);
      }
    });
    socket.addEventListener('close', () => {
      for (const [id, resolve] of pending) resolve({ id, ok: false, error: { code: 'UNAVAILABLE', message: 'Lost the connection to Switchboard.' } });
      pending.clear();
      setState('closed');
      // Reconnect with back-off: the host may be restarting.
      if (!closed) setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    });
  };
  connect();

  return {
    async request(envelope: RequestEnvelope) {
      await opened;
      return new Promise<ResponseEnvelope>((resolve) => {
        pending.set(envelope.id, resolve);
        socket.send(JSON.stringify(envelope));
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
    close() {
      closed = true;
      socket.close();
    },
  };
}

import type { IpcRenderer } from 'electron';
import type { EventEnvelope, ResponseEnvelope } from '../../shared/ipc/envelope';

/**
 * What the preload exposes as `window.switchboard`: two functions and nothing else.
 *
 * Names are checked by shape (`noun.verb`, `noun.pastTense`), not against the contract's lists: the preload may
 * import shared/ipc only as types (importing the contract would bundle zod and every schema into a sandboxed
 * preload), and a copied name list would drift while the contract grows. The shape check is enough here because
 * it keeps the channel narrow (no arbitrary IPC channel, no prototype keys), while the core stays the authority:
 * it refuses an unknown method with INVALID_INPUT naming it, and an unknown event simply never fires.
 */
export const BRIDGE_KEY = 'switchboard';
export const RPC_CHANNEL = 'rpc';
export const EVENT_CHANNEL = 'rpc:event';
const NAME = /^[a-z]+\.[a-zA-Z]+$/;

export const isWellFormedName = (name: unknown): name is string => typeof name === 'string' && NAME.test(name);

export interface Bridge {
  invoke(method: string, input: unknown): Promise<ResponseEnvelope>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export function createBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on'>): Bridge {
  let nextId = 1;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let listening = false;

  return {
    async invoke(method, input) {
      const id = nextId++;
      if (!isWellFormedName(method)) {
        return { id, ok: false, error: { code: 'INVALID_INPUT', message: `method: "${String(method)}" is not a method name` } };
      }
      return (await ipc.invoke(RPC_CHANNEL, { id, method, input })) as ResponseEnvelope;
    },
    subscribe(event, listener) {
      if (!isWellFormedName(event)) throw new TypeError(`"${String(event)}" is not an event name`);
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
      if (!listening) {
        // One IPC listener for all events; the page never sees the IpcRendererEvent (it would expose `sender`).
        ipc.on(EVENT_CHANNEL, (_event, envelope: EventEnvelope) => listeners.get(envelope.event)?.forEach((l) => l(envelope.payload)));
        listening = true;
      }
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => {
        set.delete(listener);
      };
    },
  };
}

import type { EventName, EventPayload } from '../../../shared/ipc/contract';
import type { RpcEndpoint } from '../../../shared/ipc/envelope';

/**
 * Typed subscription to one core event. In process, not a boundary: the core's RPC server parsed the payload
 * against the contract when it emitted it, so the cast is safe.
 */
export function onCoreEvent<E extends EventName>(endpoint: Pick<RpcEndpoint, 'subscribe'>, event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return endpoint.subscribe((envelope) => {
    if (envelope.event === event) listener(envelope.payload as EventPayload<E>);
  });
}

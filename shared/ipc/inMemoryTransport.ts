import type { ClientTransport, RpcEndpoint } from './envelope';

/**
 * A transport without a wire, for tests and any in-process client. Envelopes are JSON round-tripped so it is
 * exactly as strict as the real transports about what may cross the boundary.
 */
export function createInMemoryTransport(endpoint: RpcEndpoint): ClientTransport {
  const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  return {
    request: async (envelope) => roundTrip(await endpoint.handle(roundTrip(envelope))),
    onEvent: (listener) => endpoint.subscribe((envelope) => listener(roundTrip(envelope))),
  };
}

import type { ClientTransport } from './envelope';
import { AppError, parse } from './errors';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './contract';
import { events, methods } from './contract';

export interface RpcClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The one typed client, over any transport. Outputs and event payloads are parsed, not trusted. */
export function createClient(transport: ClientTransport): RpcClient {
  let nextId = 1;
  return {
    async call(method, input) {
      const response = await transport.request({ id: nextId++, method, input });
      if (!response.ok) throw new AppError(response.error.code, response.error.message);
      return parse(methods[method].output, response.output, `${method} output`) as MethodOutput<typeof method>;
    },
    on(event, listener) {
      return transport.onEvent((envelope) => {
        if (envelope.event !== event) return;
        listener(parse(events[event], envelope.payload, `${event} payload`) as EventPayload<typeof event>);
      });
    },
  };
}

import type { EventEnvelope, ResponseEnvelope, RpcEndpoint } from '../../../../shared/ipc/envelope';
import { requestEnvelope } from '../../../../shared/ipc/envelope';
import type { EventName, EventPayload, MethodName, MethodOutput, ParsedInput } from '../../../../shared/ipc/contract';
import { events, isMethodName, methods } from '../../../../shared/ipc/contract';
import { AppError, parse } from '../../../../shared/ipc/errors';
import type { Logger } from '../platform/ports';

export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M> };

export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export interface RpcServer extends RpcEndpoint, EventBus {}

/** Serves the contract over any transport: parses input, calls the handler, checks the output, wraps errors. */
export function createRpcServer(getHandlers: () => Partial<Handlers>, logger: Logger): RpcServer {
  const listeners = new Set<(envelope: EventEnvelope) => void>();

  async function dispatch(raw: unknown): Promise<ResponseEnvelope> {
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : 0;
    try {
      const request = parse(requestEnvelope, raw, 'request');
      if (!isMethodName(request.method)) throw new AppError('INVALID_INPUT', `method: unknown method "${request.method}"`);
      const method: MethodName = request.method;
      const input = parse(methods[method].input, request.input ?? {}, `${method} input`);
      const handler = getHandlers()[method] as ((input: unknown) => unknown) | undefined;
      if (!handler) throw new AppError('UNAVAILABLE', `${method} is not available in this mode`);
      const output = methods[method].output.safeParse(await handler(input));
      if (!output.success) throw new Error(`${method} returned an invalid output: ${output.error.message}`);
      return { id, ok: true, output: output.data };
    } catch (error) {
      if (error instanceof AppError) return { id, ok: false, error: { code: error.code, message: error.message } };
      // Never a stack or a secret on the wire: log it here, send a generic message.
      logger.error('rpc handler failed', { error: error instanceof Error ? error.stack : String(error) });
      return { id, ok: false, error: { code: 'INTERNAL', message: 'Something went wrong in Switchboard; the details are in its log.' } };
    }
  }

  return {
    handle: dispatch,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event, payload) {
      const envelope = { event, payload: parse(events[event], payload, `${event} payload`) };
      for (const listener of listeners) listener(envelope);
    },
  };
}

import { createClient, type RpcClient } from '../../../shared/ipc/client';
import { methods, type MethodName, type MethodOutput, type ParsedInput } from '../../../shared/ipc/contract';
import type { EventEnvelope, ResponseEnvelope, RpcEndpoint } from '../../../shared/ipc/envelope';
import { AppError, parse } from '../../../shared/ipc/errors';

export type Script = { [M in MethodName]?: (input: ParsedInput<M>) => MethodOutput<M> };

/**
 * For store tests: the real typed client over the in-memory wire, answering from a script the way the engine
 * does (inputs parsed against the contract, unknown methods UNAVAILABLE, AppErrors carried by code).
 */
export function scriptedClient(script: Script): { client: RpcClient; calls: { method: string; input: unknown }[]; emit(event: string, payload: unknown): void } {
  const calls: { method: string; input: unknown }[] = [];
  const listeners = new Set<(e: EventEnvelope) => void>();
  const endpoint: RpcEndpoint = {
    async handle(raw) {
      const request = raw as { id: number; method: MethodName; input: unknown };
      calls.push({ method: request.method, input: request.input });
      try {
        const handler = script[request.method] as ((input: unknown) => unknown) | undefined;
        if (!handler) throw new AppError('UNAVAILABLE', `${request.method} is not available in this mode`);
        const output = handler(parse(methods[request.method].input, request.input ?? {}, 'input'));
        return { id: request.id, ok: true, output } satisfies ResponseEnvelope;
      } catch (e) {
        const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'INTERNAL' as const, message: String(e) };
        return { id: request.id, ok: false, error };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const transport = {
    request: async (envelope: unknown) => JSON.parse(JSON.stringify(await endpoint.handle(JSON.parse(JSON.stringify(envelope))))) as ResponseEnvelope,
    onEvent: (listener: (e: EventEnvelope) => void) => endpoint.subscribe(listener),
  };
  return { client: createClient(transport), calls, emit: (event, payload) => listeners.forEach((l) => l({ event, payload })) };
}

import { z } from 'zod';
import { ERROR_CODES } from './errors';

/** The JSON envelopes shared by every transport (Electron IPC, WebSocket, in-memory). */
export const requestEnvelope = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1),
  input: z.unknown().optional(),
});
export type RequestEnvelope = z.infer<typeof requestEnvelope>;

export const wireError = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type WireError = z.infer<typeof wireError>;

export const responseEnvelope = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), output: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: wireError }),
]);
export type ResponseEnvelope = z.infer<typeof responseEnvelope>;

export const eventEnvelope = z.object({ event: z.string().min(1), payload: z.unknown() });
export type EventEnvelope = z.infer<typeof eventEnvelope>;

/** What a client needs from any transport. */
export interface ClientTransport {
  request(envelope: RequestEnvelope): Promise<ResponseEnvelope>;
  /** Subscribes to every event; returns an unsubscribe function. */
  onEvent(listener: (envelope: EventEnvelope) => void): () => void;
}

/** What a transport needs from the server side (core/rpc implements it). */
export interface RpcEndpoint {
  handle(raw: unknown): Promise<ResponseEnvelope>;
  subscribe(listener: (envelope: EventEnvelope) => void): () => void;
}

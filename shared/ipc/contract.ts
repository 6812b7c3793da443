import { z } from 'zod';
import { accountStatus, e164, message, queueStatus, thread, tunnelState } from './schemas';
import { phoneNumber } from '../domain/phone';

/**
 * The contract: the only list of RPC methods (`noun.verb`) and events (`noun.pastTense`).
 * Types on both sides are inferred from these schemas.
 */
const limit = z.number().int().min(1).max(500).optional();

export const methods = {
  'account.status': { input: z.object({}).strict(), output: accountStatus },
  'queue.status': { input: z.object({}).strict(), output: queueStatus },
  'threads.list': {
    input: z
      .object({
        limit,
        /** Opaque keyset cursor from a previous page's `nextCursor`. */
        before: z.string().optional(),
        view: z.enum(['all', 'unread', 'failed', 'opted-out', 'scheduled']).optional(),
        ourNumber: e164.optional(),
      })
      .strict(),
    output: z.object({ threads: z.array(thread), nextCursor: z.string().nullable() }),
  },
  'messages.list': {
    input: z.object({ threadId: z.string().min(1), limit, before: z.string().optional() }).strict(),
    output: z.object({ messages: z.array(message), nextCursor: z.string().nullable() }),
  },
  'messages.send': {
    input: z
      .object({
        from: phoneNumber,
        to: z.array(phoneNumber).min(1).max(10),
        text: z.string().max(2048).optional(),
        /** Ids of staged attachments (uploaded to the core's media store). */
        attachments: z.array(z.string().min(1)).max(10).optional(),
        sendAt: z.number().int().positive().optional(),
        priority: z.enum(['default', 'high']).optional(),
        tag: z.string().max(1024).optional(),
      })
      .strict()
      .refine((v) => (v.text ?? '').length > 0 || (v.attachments ?? []).length > 0, {
        message: 'a message needs text or at least one attachment',
        path: ['text'],
      }),
    output: z.object({ message }),
  },
} as const;

export const events = {
  'message.created': z.object({ message }),
  'message.statusChanged': z.object({ message }),
  'thread.updated': z.object({ thread }),
  'tunnel.stateChanged': tunnelState,
  'queue.changed': queueStatus,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const isMethodName = (name: string): name is MethodName => Object.hasOwn(methods, name);
export const isEventName = (name: string): name is EventName => Object.hasOwn(events, name);

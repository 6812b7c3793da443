import { z } from 'zod';
import { bandwidthTime } from '../bandwidth/time';

/** The callback event types Switchboard handles (REFERENCE.md §6.1; RBM-only types are not used). */
export const CALLBACK_TYPES = ['message-received', 'message-sending', 'message-sent', 'message-delivered', 'message-failed'] as const;
export type CallbackType = (typeof CALLBACK_TYPES)[number];


// Numbers are kept as sent: senders can be short codes or alphanumeric ids, and a message must not be refused for that.
const address = z.string().trim().min(1, 'must not be empty').max(64);

/** The `message` inside a callback (REFERENCE.md §3): `time` becomes epoch ms, absent optional fields become null/[]. */
const callbackMessage = z.object({
  id: z.string().min(1, 'must not be empty'),
  owner: z.string().nullish().transform((v) => v ?? null),
  applicationId: z.string().nullish().transform((v) => v ?? null),
  time: bandwidthTime,
  direction: z.enum(['in', 'out']),
  to: z.array(address).min(1, 'must name at least one recipient'),
  from: address,
  text: z.string().default(''),
  media: z.array(z.string().min(1)).default([]),
  segmentCount: z.number().int().nonnegative().nullish().transform((v) => v ?? null),
  tag: z.string().nullish().transform((v) => v || null),
  priority: z.string().nullish().transform((v) => v ?? null),
});

/** One event as the message engine receives it (REFERENCE.md §6: required type, bandwidthTime, to, description, message). */
export const callbackEvent = z.object({
  type: z.enum(CALLBACK_TYPES),
  time: bandwidthTime,
  /** For outbound events, the recipient this event is about (one event per recipient of a group). */
  to: address,
  description: z.string().default(''),
  errorCode: z.number().int().nullish().transform((v) => v ?? null),
  carrierName: z.string().nullish().transform((v) => v ?? null),
  message: callbackMessage,
});
export type ParsedCallback = z.output<typeof callbackEvent>;

/**
 * Event types Bandwidth may send that Switchboard has no use for (RBM only, REFERENCE.md §6.1): accepted and
 * skipped, because refusing them would make Bandwidth retry them for 24 hours.
 */
export const IGNORED_TYPES = new Set(['message-read', 'suggestion-response', 'requested-location-response']);
const ignored = (event: unknown) => typeof event === 'object' && event !== null && IGNORED_TYPES.has((event as { type?: unknown }).type as string);

/** Bandwidth posts arrays; its OpenAPI spec shows single objects (REFERENCE.md §6, §10.1). Both become an array. */
// Wrapping first (rather than a union) keeps errors pointing at the failing field, e.g. "0.message.time".
export const callbackBody = z
  .preprocess((body) => (Array.isArray(body) ? body : [body]), z.array(z.unknown()).min(1, 'must hold at least one event'))
  .transform((events) => events.filter((event) => !ignored(event)))
  .pipe(z.array(callbackEvent));

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

const HANDLED = new Set<string>(CALLBACK_TYPES);

/** Bandwidth posts arrays; its OpenAPI spec shows single objects (REFERENCE.md §6, §10.1). Both become an array. */
const eventList = z.preprocess((body) => (Array.isArray(body) ? body : [body]), z.array(z.unknown()).min(1, 'must hold at least one event'));

/** A callback body taken apart event by event, so that one unusable event does not cost the others. */
export interface CallbackBatch {
  /** The events to store, in body order. */
  events: ParsedCallback[];
  /** The types of events skipped because Switchboard does not handle them (RBM-only ones, and types newer than this app). */
  skipped: string[];
  /** What is wrong with the body, or with each event of a handled type that failed the schema: "1.message.time: …". */
  issues: string[];
}

const describeIssue = (issue: z.core.$ZodIssue, prefix: (string | number)[] = []) => `${[...prefix, ...issue.path].join('.') || '(body)'}: ${issue.message}`;

export function parseCallbackBody(body: unknown): CallbackBatch {
  const list = eventList.safeParse(body);
  if (!list.success) return { events: [], skipped: [], issues: list.error.issues.map((issue) => describeIssue(issue)) };
  const batch: CallbackBatch = { events: [], skipped: [], issues: [] };
  list.data.forEach((event, index) => {
    const type = (event as { type?: unknown } | null)?.type;
    // Bandwidth adds event types over time (message-sent came in 2026-06): refusing one would only make it retry for a day.
    if (typeof type === 'string' && !HANDLED.has(type)) return void batch.skipped.push(type);
    const parsed = callbackEvent.safeParse(event);
    if (parsed.success) batch.events.push(parsed.data);
    else batch.issues.push(...parsed.error.issues.map((issue) => describeIssue(issue, [index])));
  });
  return batch;
}

/** The whole body or an error: for building events where an unusable one is a mistake (tests, tools). */
export const callbackBody = z.unknown().transform((body, ctx) => {
  const batch = parseCallbackBody(body);
  for (const message of batch.issues) ctx.addIssue({ code: 'custom', message });
  return batch.events;
});

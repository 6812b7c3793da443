import { z } from 'zod';

/** Entities as they cross the RPC boundary: JSON-safe, times in epoch ms, numbers in E.164. */

export const MESSAGE_STATUSES = ['scheduled', 'queued', 'sending', 'accepted', 'sent', 'delivered', 'failed', 'no-receipt', 'received'] as const;
export const messageStatus = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof messageStatus>;

export const NUMBER_CLASSES = ['local', 'toll-free', '10dlc', 'short-code'] as const;
export const numberClass = z.enum(NUMBER_CLASSES);
export type NumberClass = z.infer<typeof numberClass>;

export const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +19195551234');

export const attachment = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  /** Where the renderer loads it from: `/media/<id>` in browser mode, `media://<id>` in Electron. Never a remote URL. */
  url: z.string().nullable(),
  state: z.enum(['pending', 'ready', 'failed']),
});
export type Attachment = z.infer<typeof attachment>;

export const delivery = z.object({
  recipient: e164,
  status: messageStatus,
  errorCode: z.number().int().nullable(),
  updatedAt: z.number(),
});
export type Delivery = z.infer<typeof delivery>;

export const message = z.object({
  id: z.string(),
  threadId: z.string(),
  direction: z.enum(['in', 'out']),
  from: e164,
  to: z.array(e164),
  text: z.string(),
  status: messageStatus,
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Bandwidth's id once accepted (outbound) or as received (inbound). */
  bandwidthId: z.string().nullable(),
  segments: z.number().int().nonnegative(),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  sendAt: z.number().nullable(),
  priority: z.enum(['default', 'high']),
  tag: z.string().nullable(),
  errorCode: z.number().int().nullable(),
  attachments: z.array(attachment),
  /** One per recipient for outbound messages; empty for inbound. */
  deliveries: z.array(delivery),
});
export type Message = z.infer<typeof message>;

export const threadPreview = z.object({
  text: z.string(),
  direction: z.enum(['in', 'out']),
  status: messageStatus,
  hasMedia: z.boolean(),
});

export const thread = z.object({
  id: z.string(),
  ourNumber: e164,
  participants: z.array(e164),
  /** Contact names keyed by participant number, where known. */
  names: z.record(z.string(), z.string()),
  lastActivityAt: z.number(),
  unread: z.number().int().nonnegative(),
  preview: threadPreview.nullable(),
  optedOut: z.boolean(),
});
export type Thread = z.infer<typeof thread>;

export const ownedNumber = z.object({ number: e164, class: numberClass, mps: z.number().positive() });
export type OwnedNumber = z.infer<typeof ownedNumber>;

export const TUNNEL_STATES = ['off', 'connecting', 'online', 'reconnecting', 'error'] as const;
export const tunnelState = z.object({
  state: z.enum(TUNNEL_STATES),
  publicUrl: z.string().nullable(),
  error: z.string().nullable(),
});
export type TunnelState = z.infer<typeof tunnelState>;

export const accountStatus = z.object({
  mode: z.enum(['sandbox', 'live']),
  accountId: z.string(),
  applicationId: z.string(),
  numbers: z.array(ownedNumber),
  connection: z.enum(['online', 'offline', 'unauthorized']),
  callbackUrl: z.string().nullable(),
  tunnel: tunnelState,
  dataDir: z.string(),
  version: z.string(),
});
export type AccountStatus = z.infer<typeof accountStatus>;

export const queueStatus = z.object({
  depth: z.number().int().nonnegative(),
  scheduled: z.number().int().nonnegative(),
  /** When the next queued message is expected to go, and when the queue should be empty (epoch ms), null if idle. */
  nextSendAt: z.number().nullable(),
  drainedBy: z.number().nullable(),
});
export type QueueStatus = z.infer<typeof queueStatus>;

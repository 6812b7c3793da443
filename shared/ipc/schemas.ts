import { z } from 'zod';

/** Entities as they cross the RPC boundary: JSON-safe, times in epoch ms, numbers in E.164 (inbound senders may be short codes or names). */

export const MESSAGE_STATUSES = ['scheduled', 'queued', 'sending', 'accepted', 'sent', 'delivered', 'failed', 'no-receipt', 'received'] as const;
export const messageStatus = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof messageStatus>;

export const NUMBER_CLASSES = ['local', 'toll-free', '10dlc', 'short-code'] as const;
export const numberClass = z.enum(NUMBER_CLASSES);
export type NumberClass = z.infer<typeof numberClass>;

/** How an E.164 number is written: a plus and 7 to 15 digits (whether it is a valid number is phone.ts's question). */
export const E164_FORM = /^\+[1-9]\d{6,14}$/;
export const e164 = z.string().regex(E164_FORM, 'must be an E.164 number such as +19195551234');

/** A short code, as carriers and services text business numbers from: 3 to 8 digits. */
export const SHORT_CODE_FORM = /^\d{3,8}$/;
/** An alphanumeric sender name (REFERENCE.md §2.1): at most 11 of `A-Z a-z 0-9 space - + _ &`, with at least one letter. */
export const SENDER_NAME_FORM = /^(?=.*[A-Za-z])[A-Za-z0-9 +_&-]{1,11}$/;
/** A short code or sender name: it can text us, but cannot be texted back (sends take phone numbers only). */
export const isSenderId = (value: string): boolean => SHORT_CODE_FORM.test(value) || SENDER_NAME_FORM.test(value);
/**
 * Who a message is from or to: an E.164 number, or (inbound only) a short code or sender name, as written. None holds
 * `,` or `>`, so thread keys (shared/domain/threadKey.ts) stay unambiguous.
 */
export const address = z.string().refine((value) => E164_FORM.test(value) || isSenderId(value), 'must be an E.164 number, a short code or a sender name');

export const attachment = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  /**
   * A picture's pixel size as shown, so its box is reserved before it loads; null for other files or when unknown.
   * Absent reads as null: drafts saved before sizes existed keep their staged files.
   */
  width: z.number().int().positive().nullable().default(null),
  height: z.number().int().positive().nullable().default(null),
  /** Where the renderer loads it from: `/media/<id>`, relative to the page (browser mode's host, Electron's app://). Never a remote URL. */
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
  from: address,
  to: z.array(address),
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
  /** Why it failed when an error code alone does not say (e.g. the description of an HTTP 400 from Bandwidth). */
  errorDetail: z.string().nullable(),
  /** How many times the agent retried it: a failure worth one more try only is offered Retry while this is 0 (retryUsedUp). */
  retries: z.number().int().nonnegative(),
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
  participants: z.array(address),
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

export const snippetPart = z.object({ text: z.string(), hit: z.boolean() });
export const searchResult = z.object({
  message,
  thread,
  /** The matched text with hits marked, as parts; the renderer never parses HTML. */
  snippet: z.array(snippetPart),
});
export type SearchResult = z.infer<typeof searchResult>;

export const contact = z.object({ number: e164, name: z.string(), notes: z.string(), updatedAt: z.number() });
export type Contact = z.infer<typeof contact>;

export const quickReply = z.object({ id: z.string(), title: z.string().min(1).max(80), body: z.string().min(1).max(2048) });
export type QuickReply = z.infer<typeof quickReply>;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 21:00');

/**
 * The range of the no-receipt delay: a positive delay, and a week at most (beyond that a message would show as
 * waiting for its receipt almost for ever). The settings form offers whole minutes; a second is the floor for tools
 * and tests that run in real time.
 */
export const NO_RECEIPT_AFTER_MS = { min: 1_000, max: 7 * 86_400_000 } as const;
const NO_RECEIPT_RANGE = 'must be from 1 second (1000 ms) to 7 days (604800000 ms)';

export const settings = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  quietHours: z.object({ enabled: z.boolean(), start: clockTime, end: clockTime }),
  autoReplies: z.object({
    enabled: z.boolean(),
    stop: z.string().max(2048),
    start: z.string().max(2048),
    help: z.string().max(2048),
  }),
  quickReplies: z.array(quickReply).max(200),
  /** Outbound messages with no final receipt after this long are marked no-receipt. */
  noReceiptAfterMs: z.number().int().min(NO_RECEIPT_AFTER_MS.min, NO_RECEIPT_RANGE).max(NO_RECEIPT_AFTER_MS.max, NO_RECEIPT_RANGE),
  notifications: z.boolean(),
});
export type Settings = z.infer<typeof settings>;

export const credentialsStatus = z.object({
  mode: z.enum(['sandbox', 'live']),
  /** Never a secret: only which kind of credentials is stored and whether they last worked. */
  authType: z.enum(['oauth2', 'basic']).nullable(),
  accountId: z.string().nullable(),
  clientIdOrUsername: z.string().nullable(),
  checkedAt: z.number().nullable(),
  error: z.string().nullable(),
});
export type CredentialsStatus = z.infer<typeof credentialsStatus>;

export const attachmentProgress = z.object({
  attachmentId: z.string(),
  messageId: z.string().nullable(),
  loaded: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  state: z.enum(['uploading', 'done', 'failed']),
});

/**
 * Staging an attachment is the one binary path, and it is not RPC: the renderer POSTs the raw file to the
 * upload URL (`/upload` relative to the page: browser mode's host with the per-run token, Electron's app://) with the file
 * name in `X-File-Name`; the answer is this JSON. The staged id then goes into `messages.send`.
 */
export const stagedAttachment = z.object({
  attachment,
  /** Set when the file was changed to fit Bandwidth's limits (e.g. an image downscaled). */
  notice: z.string().nullable(),
});
export type StagedAttachment = z.infer<typeof stagedAttachment>;

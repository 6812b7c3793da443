/** The simulator's state: one account with its numbers, messaging applications, messages and media. */
import type { Rng } from './ids';
import type { Scheduler } from './timers';

export type NumberClass = 'local' | 'toll-free' | '10dlc' | 'short-code';

export interface OwnedNumber {
  number: string;
  class: NumberClass;
  /** Overrides the class rate (segments per second). */
  mps?: number;
}

/** Status callback types an application gets by default. */
export const STATUS_CALLBACK_TYPES = ['message-sending', 'message-sent', 'message-delivered', 'message-failed'];

export interface CallbackCreds {
  userId: string;
  password: string;
}

export interface Application {
  id: string;
  name: string;
  serviceType: string;
  inboundCallbackUrl?: string;
  outboundCallbackUrl?: string;
  inboundCallbackCreds?: CallbackCreds;
  outboundCallbackCreds?: CallbackCreds;
  requestedCallbackTypes: string[];
}

/** List-endpoint status values (REFERENCE.md §2.2). */
export type ListStatus = 'RECEIVED' | 'QUEUED' | 'SENDING' | 'SENT' | 'DELIVERED' | 'FAILED' | 'ACCEPTED' | 'UNDELIVERED';

export interface RecipientState {
  status: ListStatus;
  errorCode: number;
}

export interface StoredMessage {
  id: string;
  direction: 'in' | 'out';
  owner: string;
  applicationId: string;
  from: string;
  to: string[];
  text: string;
  media: string[];
  tag?: string;
  priority?: 'default' | 'high';
  expiration?: string;
  /** Accept (out) or receive (in) time, epoch ms. */
  time: number;
  segmentCount: number;
  /** The row(s) the list endpoint shows: one per recipient (out) or the owning number (in). */
  recipients: Map<string, RecipientState>;
}

export interface SandboxSettings {
  /** Extra delay before every API response (not the control API). */
  latencyMs: number;
  /** Share of messaging/media/dashboard requests answered with a 500. */
  apiErrorRate: number;
  /** Share of callbacks silently lost (never delivered). */
  callbackDropRate: number;
  /** Share of callbacks delivered twice. */
  callbackDuplicateRate: number;
  /** Each callback waits a random 0..N ms more, so callbacks can overtake each other. */
  callbackReorderMs: number;
  /** Fixed extra delay before the first delivery attempt of every callback. */
  callbackDelayMs: number;
  /** Until this epoch ms, every delivery attempt fails as if the receiver were unreachable. */
  callbacksOfflineUntil: number;
  personasPaused: boolean;
}

export interface Delays {
  /** [min, max] ms from dequeue to each event; all scaled by timeScale. */
  sendingMs: [number, number];
  sentMs: [number, number];
  deliveredMs: [number, number];
  /** When a 9902 (receipt expired) failure arrives. */
  dlrTimeoutMs: [number, number];
  /** How long a persona takes to answer. */
  replyMs: [number, number];
  /** Gap between unprompted persona messages. */
  ambientMs: [number, number];
  /** Dashboard order: RECEIVED → PROCESSING → COMPLETE. */
  orderStepMs: number;
}

export interface CallbackSchedule {
  /** Back-off between attempts; the last entry repeats. */
  retryDelaysMs: number[];
  /** After this long since the event, undelivered callbacks are dropped (Bandwidth: 24 h). */
  retryWindowMs: number;
  /** Per-attempt timeout (Bandwidth: 10 s). */
  timeoutMs: number;
}

export interface StoredMedia {
  bytes: Buffer;
  contentType: string;
  cacheControl?: string;
}

export interface SandboxEvents {
  /** An outbound message reached a recipient (the personas answer). */
  delivered(message: StoredMessage, recipient: string): void;
}

export interface Context {
  readonly accountId: string;
  readonly siteId: string;
  readonly peerId: string;
  /** The messaging application linked to the sandbox location: every owned number uses it. */
  readonly applicationId: string;
  readonly rng: Rng;
  readonly scheduler: Scheduler;
  readonly delays: Delays;
  readonly settings: SandboxSettings;
  readonly numbers: OwnedNumber[];
  readonly applications: Map<string, Application>;
  readonly messages: Map<string, StoredMessage>;
  readonly media: Map<string, StoredMedia>;
  /** `${ourNumber} ${theirNumber}` pairs where the customer texted STOP. */
  readonly optOuts: Set<string>;
  /** Pairs that just texted STOP: the one confirmation reply the sender owes them still gets through (CTIA practice). */
  readonly optOutConfirmations: Set<string>;
  /** Set once the server listens: http://127.0.0.1:P */
  origin: string;
  readonly listeners: SandboxEvents[];
  log(message: string): void;
}

export function messagingBase(ctx: Context): string {
  return `${ctx.origin}/api/v2`;
}

export function mediaUrl(ctx: Context, mediaId: string): string {
  return `${messagingBase(ctx)}/users/${ctx.accountId}/media/${mediaId.split('/').map(encodeURIComponent).join('/')}`;
}

export function findOwned(ctx: Context, number: string): OwnedNumber | undefined {
  return ctx.numbers.find((n) => n.number === number);
}

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

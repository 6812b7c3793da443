/**
 * The life of an outbound message after its 202 (REFERENCE.md §6.1): once it leaves the rate-limited queue,
 * each recipient gets message-sending (MMS and group only), then message-sent, then exactly one of
 * message-delivered / message-failed; pre-send rejections get only message-failed. Group callbacks share the
 * message id and are told apart by the top-level `to`.
 */
import type { CallbackDispatcher, CallbackEvent } from './callbacks';
import { between } from './ids';
import type { Context, StoredMessage } from './model';
import { isoTime } from './model';
import type { Outcome } from './outcomes';
import { finalListStatus } from './outcomes';

const GAP_MS = 50;

export function isMms(message: Pick<StoredMessage, 'media' | 'to'>): boolean {
  return message.media.length > 0 || message.to.length > 1;
}

/**
 * The message object: as the 202 answer to a send (`response`, spec `message`), or inside a callback, where
 * outbound messages always carry `text: ""` and priority/expiration are not repeated (as in the real payloads).
 */
export function messageJson(message: StoredMessage, use: 'response' | 'callback'): Record<string, unknown> {
  const base = {
    id: message.id,
    owner: message.owner,
    applicationId: message.applicationId,
    time: isoTime(message.time),
    segmentCount: message.segmentCount,
    direction: message.direction,
    to: message.to,
    from: message.from,
    text: use === 'callback' && message.direction === 'out' ? '' : message.text,
    ...(message.media.length > 0 ? { media: message.media } : {}),
    ...(message.tag !== undefined ? { tag: message.tag } : {}),
  };
  if (use === 'callback') return base;
  return { ...base, priority: message.priority ?? 'default', ...(message.expiration ? { expiration: message.expiration } : {}) };
}

function statusEvent(message: StoredMessage, recipient: string, type: string, description: string, errorCode?: number): CallbackEvent {
  return {
    time: isoTime(Date.now()),
    type,
    to: recipient,
    description,
    ...(errorCode !== undefined ? { errorCode } : {}),
    message: messageJson(message, 'callback'),
  };
}

export function scheduleOutbound(ctx: Context, callbacks: CallbackDispatcher, message: StoredMessage, dequeueAt: number, outcomes: Map<string, Outcome>): void {
  const { delays, rng, scheduler } = ctx;
  const mms = isMms(message);
  const onError = (error: unknown) => ctx.log(`lifecycle error: ${String(error)}`);
  scheduler.at(
    dequeueAt,
    () => {
      for (const [recipient, outcome] of outcomes) {
        const state = message.recipients.get(recipient);
        if (!state) continue;
        state.status = 'SENDING';
        const emit = (type: string, description: string, errorCode?: number) => callbacks.enqueue('status', statusEvent(message, recipient, type, description, errorCode));
        const finish = () => {
          state.status = finalListStatus(outcome);
          if (outcome.kind === 'delivered') {
            emit('message-delivered', mms ? 'Message delivered to carrier' : 'ok');
            for (const listener of ctx.listeners) listener.delivered(message, recipient);
          } else {
            state.errorCode = outcome.code;
            emit('message-failed', outcome.description, outcome.code);
          }
        };
        if (outcome.kind === 'failed' && outcome.stage === 'pre-send') {
          scheduler.after(between(rng, ...delays.sendingMs), finish, onError);
          continue;
        }
        // Each event comes at least GAP_MS after the one before it (the ranges may overlap), so that without
        // injected faults they arrive in order.
        const sendingAt = between(rng, ...delays.sendingMs);
        if (mms) scheduler.after(sendingAt, () => emit('message-sending', 'Message is sending to carrier'), onError);
        const sentAt = Math.max(mms ? sendingAt + GAP_MS : 0, between(rng, ...delays.sentMs));
        scheduler.after(sentAt, () => {
          state.status = 'SENT';
          emit('message-sent', 'Message sent to carrier');
        }, onError);
        const range = outcome.kind === 'failed' && outcome.stage === 'receipt-timeout' ? delays.dlrTimeoutMs : delays.deliveredMs;
        scheduler.after(Math.max(sentAt + GAP_MS, between(rng, ...range)), finish, onError);
      }
    },
    onError,
  );
}

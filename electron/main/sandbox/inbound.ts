/**
 * Inbound (MO) messages: a customer texts one or more of our numbers (REFERENCE.md §3, §4). Each owned
 * recipient gets its own message-received event with its own message id; `message.to` lists everyone. MMS
 * media is stored under /media/{messageId}/{index}/{name}, the shape of Bandwidth's inbound media URLs.
 * The simulated carrier keeps the customer's STOP / START for that pair of numbers (then 4775 on sends).
 * A message one of our numbers sends to another of ours arrives as inbound too, as it would on Bandwidth.
 */
import sharp from 'sharp';
import { countSegments } from '../../../shared/domain/segments';
import type { CallbackDispatcher } from './callbacks';
import { messageId } from './ids';
import { messageJson } from './lifecycle';
import type { Context, StoredMessage } from './model';
import { findOwned, isoTime, mediaUrl } from './model';
import { ownMedia } from './media';

export interface InboundAttachment {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface InboundRequest {
  from: string;
  /** Every recipient; those we own each get an event. */
  to: string[];
  text: string;
  attachments?: InboundAttachment[];
}

const STOP = /^\s*(stop|stopall|unsubscribe|cancel|end|quit)\s*$/i;
const START = /^\s*(start|unstop|yes)\s*$/i;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small picture with a coloured background and a caption, as a customer might send. */
export async function generateImage(caption: string, color: string, format: 'png' | 'jpeg' = 'jpeg'): Promise<InboundAttachment> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320"><rect width="100%" height="100%" fill="${color}"/>`
    + `<circle cx="400" cy="70" r="40" fill="white" fill-opacity="0.35"/>`
    + `<text x="50%" y="55%" font-family="sans-serif" font-size="30" fill="white" text-anchor="middle">${escapeXml(caption)}</text></svg>`;
  const image = sharp(Buffer.from(svg));
  const bytes = format === 'png' ? await image.png().toBuffer() : await image.jpeg({ quality: 80 }).toBuffer();
  return { name: `image.${format === 'png' ? 'png' : 'jpg'}`, contentType: `image/${format}`, bytes };
}

/** Stores the message(s), queues one message-received per owned recipient; returns the new message ids. */
export function receive(ctx: Context, callbacks: CallbackDispatcher, request: InboundRequest, delayMs = 0): string[] {
  const ids: string[] = [];
  const now = Date.now();
  for (const owner of request.to.filter((to) => findOwned(ctx, to))) {
    const id = messageId(ctx.rng, now);
    const media = (request.attachments ?? []).map((file, index) => {
      const mediaId = `${id}/${index}/${file.name}`;
      ctx.media.set(mediaId, { bytes: file.bytes, contentType: file.contentType });
      return mediaUrl(ctx, mediaId);
    });
    const message: StoredMessage = {
      id,
      direction: 'in',
      owner,
      applicationId: ctx.applicationId,
      from: request.from,
      to: request.to,
      text: request.text,
      media,
      time: now,
      segmentCount: media.length > 0 || request.to.length > 1 ? 1 : Math.max(1, countSegments(request.text)),
      recipients: new Map([[owner, { status: 'RECEIVED', errorCode: 0 }]]),
    };
    ctx.messages.set(id, message);
    const pair = `${owner} ${request.from}`;
    if (request.to.length === 1 && STOP.test(request.text)) {
      ctx.optOuts.add(pair);
      ctx.optOutConfirmations.add(pair);
    }
    if (request.to.length === 1 && START.test(request.text)) {
      ctx.optOuts.delete(pair);
      ctx.optOutConfirmations.delete(pair);
    }
    callbacks.enqueue(
      'inbound',
      { time: isoTime(Date.now()), type: 'message-received', to: owner, description: 'Incoming message received', message: messageJson(message, 'callback') },
      delayMs,
    );
    ids.push(id);
  }
  return ids;
}

/**
 * Delivers outbound messages addressed to our own numbers back as inbound ones (once per message, on the first
 * owned recipient's delivery). Media re-hosted from this sandbox's store comes along; external URLs cannot be
 * fetched offline and are left out.
 */
export function loopBackOwnNumbers(ctx: Context, callbacks: CallbackDispatcher): void {
  ctx.listeners.push({
    delivered(message, recipient) {
      if (message.to.find((to) => findOwned(ctx, to)) !== recipient) return;
      const attachments = message.media.flatMap((url, index) => {
        const own = ownMedia(ctx, url)?.item;
        return own ? [{ name: url.split('/').pop() || `file-${index}`, contentType: own.contentType, bytes: own.bytes }] : [];
      });
      receive(ctx, callbacks, { from: message.from, to: message.to, text: message.text, attachments });
    },
  });
}

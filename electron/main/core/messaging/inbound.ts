import { toE164 } from '../../../../shared/domain/phone';
import { detectEncoding } from '../../../../shared/domain/segments';
import { threadKeyOfE164, type ThreadKey } from '../../../../shared/domain/threadKey';
import { E164_FORM, isSenderId, type Message, type MessageStatus } from '../../../../shared/ipc/schemas';
import type { ParsedCallback } from '../callbacks/schema';
import { createAttachment } from '../store/attachments';
import { groupCommit } from '../store/groupCommit';
import { recordCallbackEvent } from '../store/callbackEvents';
import { advanceDelivery, findMessageByBandwidthId, getMessage, insertReceivedMessage, isSupersededAttempt, messageIdByBandwidthId, setBandwidthId } from '../store/messages';
import { deliveryFailed, optedOutAmong, recordOptIn, recordOptOut } from '../store/optOuts';
import { threadIdByKey, upsertThreadId } from '../store/threads';
import { keywordOf, type Keyword } from '../../../../shared/domain/keywords';
import type { EngineContext } from './context';
import { messageIdFromTag, publish } from './context';
import type { MediaService } from './media';

const STATUS_OF: Record<Exclude<ParsedCallback['type'], 'message-received'>, MessageStatus> = {
  // "Sending" is Bandwidth working on a message it has accepted: no further than accepted in our terms.
  'message-sending': 'accepted',
  'message-sent': 'sent',
  'message-delivered': 'delivered',
  'message-failed': 'failed',
};

export interface Reply {
  from: string;
  to: string;
  keyword: Keyword;
}

/**
 * A file name for an inbound media URL: its last path segment, as Bandwidth names it. Best effort, as it runs while
 * the message is stored: a segment that does not decode (a bare "%") is kept as written, and a URL that does not
 * parse gets attachment-N, rather than failing the callback (whose text would be lost after Bandwidth's retries).
 */
function mediaName(url: string, index: number): string {
  const last = URL.canParse(url) ? (new URL(url).pathname.split('/').pop() ?? '') : '';
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // URIError: keep it as written.
  }
  return name.replace(/[\\/\0]/g, '_') || `attachment-${index + 1}`;
}

/**
 * Applies a batch of callbacks in one transaction (so the listener answers 2xx only once they are durable):
 * duplicates are skipped, inbound messages land in their thread, status events move deliveries forward only,
 * compliance keywords and carrier opt-outs are recorded. Events, downloads and auto-replies follow the commit.
 */
export function createInbound(ctx: EngineContext, media: MediaService, onKeyword: (reply: Reply) => void) {
  const { db, clock, logger } = ctx;

  // Callbacks repeat the same few numbers (ours, regular senders), and parsing one with full metadata is a large
  // share of a callback's cost; bounded, as senders are unbounded.
  const e164 = new Map<string, string | null>();
  function toE164Cached(input: string): string | null {
    let value = e164.get(input);
    if (value === undefined) {
      if (e164.size >= 10_000) e164.clear();
      e164.set(input, (value = toE164(input)));
    }
    return value;
  }

  /**
   * A number as the thread key holds it: E.164 when it parses as a valid number, else as written when it has E.164's
   * form (a number libphonenumber does not know, such as a new or fictional range); null otherwise. Such a number keeps
   * its message, and cannot be replied to (sends go through phoneNumber, which refuses it).
   */
  function keyedNumber(input: string): string | null {
    return toE164Cached(input) ?? (E164_FORM.test(input) ? input : null);
  }

  /**
   * A sender (or group member) as the thread key holds it: a short code or sender name as written (carriers and
   * services text business numbers from them; checked first, so a name is never read as a number), else keyedNumber.
   */
  function keyedAddress(input: string): string | null {
    return isSenderId(input) ? input : keyedNumber(input);
  }
  /** Written as keyedAddress keeps it: no separator of the key (`,` `>`) fits either form. */
  const asKeyed = (input: string) => E164_FORM.test(input) || isSenderId(input);

  /**
   * The thread of a message whose numbers are written as they are stored (E.164, as Bandwidth sends them, or a short
   * code or sender name) and whose conversation exists: a stored key holds only what keyedAddress gave, so none needs
   * parsing again. Each must have such a form, or a "number" holding the key's separators could match another
   * conversation's key.
   */
  function storedThread(event: ParsedCallback): { key: ThreadKey; from: string; threadId: string } | null {
    if (!E164_FORM.test(event.to) || !asKeyed(event.message.from) || !event.message.to.every(asKeyed)) return null;
    const others = [event.message.from, ...event.message.to].filter((n) => n !== event.to);
    if (others.length === 0) return null;
    const key = threadKeyOfE164(event.to, others);
    const threadId = threadIdByKey(db, key.key);
    return threadId ? { key, from: event.message.from, threadId } : null;
  }

  /** The message's thread, created on first use; null (and logged) when the sender is no phone number, short code or sender name. */
  function threadOf(event: ParsedCallback): { key: ThreadKey; from: string; threadId: string } | null {
    const stored = storedThread(event);
    if (stored) return stored;
    const from = keyedAddress(event.message.from);
    const ours = keyedNumber(event.to);
    if (!from || !ours) {
      logger.warn('inbound message from a sender that is no phone number, short code or sender name was skipped', { from: event.message.from, to: event.to });
      return null;
    }
    // A member written in no number's form is left out of the key rather than failing the event: Bandwidth would retry it
    // for 24 h and then drop the message. Parsed (and cached) once here; threadKey would parse each number again.
    const members = event.message.to.map((n) => [n, keyedAddress(n)] as const);
    const unusable = members.filter(([, n]) => !n).map(([written]) => written);
    if (unusable.length) logger.warn('group members that are no phone numbers, short codes or sender names were left out of the thread', { id: event.message.id, members: unusable });
    const key = threadKeyOfE164(ours, [from, ...members.flatMap(([, n]) => (n ? [n] : []))]);
    return { key, from, threadId: upsertThreadId(db, key, event.message.time) };
  }

  /** The stored message, as written, and the number it came to (for the keyword rules). */
  function receive(event: ParsedCallback): { message: Message; ourNumber: string } | null {
    // The stored message is the callback's dedupe record (a retry may carry another `time`).
    if (messageIdByBandwidthId(db, 'in', event.message.id)) return null;
    const thread = threadOf(event);
    if (!thread) return null;
    const { key, from, threadId } = thread;
    const { ourNumber } = key;
    const attachmentIds = event.message.media.map(
      (url, index) => createAttachment(db, { name: mediaName(url, index), contentType: 'application/octet-stream', state: 'pending', remoteUrl: url, createdAt: clock.now() }).id,
    );
    const to = key.participants.filter((n) => n !== from).concat(ourNumber);
    const message = insertReceivedMessage(db, {
      threadId,
      from,
      to,
      text: event.message.text,
      createdAt: event.message.time,
      bandwidthId: event.message.id,
      segments: event.message.segmentCount ?? 1,
      encoding: detectEncoding(event.message.text),
      attachmentIds,
    });
    return { message, ourNumber };
  }

  function status(event: Exclude<ParsedCallback, { type: 'message-received' }> | ParsedCallback): Message | null {
    const byTag = messageIdFromTag(event.message.tag);
    let message = (byTag && getMessage(db, byTag)) || findMessageByBandwidthId(db, 'out', event.message.id);
    if (!message || message.direction !== 'out') {
      logger.warn('status callback for a message we did not send was ignored', { id: event.message.id, type: event.type });
      return null;
    }
    // Every attempt carries our tag, and a retry is a new attempt with a new id: news of an attempt the retry superseded
    // (late, as when the tunnel was down) must not settle the current one. The current id is NULL until its 202.
    if (event.message.id !== message.bandwidthId && isSupersededAttempt(db, message.id, event.message.id)) {
      logger.info('status callback for an earlier attempt of a retried message was ignored', { messageId: message.id, id: event.message.id, type: event.type });
      return null;
    }
    if (!message.bandwidthId) {
      const at = clock.now();
      setBandwidthId(db, message.id, event.message.id, at);
      message = { ...message, bandwidthId: event.message.id, updatedAt: at };
    }
    // Bandwidth writes numbers in E.164, as deliveries are stored: only one that matches none is parsed.
    const recipient = message.deliveries.some((d) => d.recipient === event.to) ? event.to : (toE164Cached(event.to) ?? event.to);
    // The message as just read, in this transaction: the step does not read it again.
    const result = advanceDelivery(db, message, recipient, {
      status: STATUS_OF[event.type as keyof typeof STATUS_OF],
      at: clock.now(),
      errorCode: event.errorCode,
      errorDetail: event.type === 'message-failed' ? event.description || null : null,
    });
    if (event.type === 'message-failed') deliveryFailed(db, { ourNumber: message.from, recipient, errorCode: event.errorCode, at: event.time });
    return result?.changed ? result.message : null;
  }

  interface Effects {
    /** The messages received, as written. */
    created: Message[];
    changed: Message[];
    replies: Reply[];
  }

  /** Writes one request's events (inside the group's transaction); what to announce once it has committed. */
  function apply(events: ParsedCallback[]): Effects {
    const effects: Effects = { created: [], changed: [], replies: [] };
    const { created, changed, replies } = effects;
    for (const event of events) {
      if (event.type === 'message-received') {
        // Not logged in callback_events: receive() skips a message it has stored, so a row there would only cost a write.
        const received = receive(event);
        if (!received) continue;
        const { message, ourNumber } = received;
        created.push(message);
        const keyword = keywordOf(message.text);
        // Keywords count in one-to-one conversations; a STOP typed into a group chat is talk, not an opt-out.
        // Applied as of when the customer sent it: a STOP or START older than the latest change applied (it arrived
        // late) changes nothing and gets no reply. HELP gets the help text unless they opted out: their STOP stands,
        // and the carrier would refuse the reply (4775) anyway.
        // A sender that is no valid number (kept as written, as short codes and sender names are) cannot be replied to,
        // nor opted out of what it cannot get.
        if (keyword && message.to.length === 1 && !isSenderId(message.from) && toE164Cached(message.from)) {
          const applied =
            keyword === 'help'
              ? optedOutAmong(db, ourNumber, [message.from]).length === 0
              : keyword === 'opt-out'
              ? recordOptOut(db, { ourNumber, number: message.from, optedOutAt: message.createdAt, source: 'keyword' })
              : recordOptIn(db, ourNumber, message.from, message.createdAt);
          if (applied) replies.push({ from: ourNumber, to: message.from, keyword });
        }
      } else {
        if (!recordCallbackEvent(db, { messageId: event.message.id, type: event.type, to: event.to, time: String(event.time) }, clock.now())) continue;
        const message = status(event);
        if (message) changed.push(message);
      }
    }
    return effects;
  }

  function announce(committed: Effects[]): void {
    const created = committed.flatMap((effects) => effects.created);
    publish(ctx, 'message.created', created);
    publish(ctx, 'message.statusChanged', committed.flatMap((effects) => effects.changed));
    for (const message of created) for (const attachment of message.attachments) media.download(attachment.id);
    for (const { replies } of committed) for (const reply of replies) onKeyword(reply);
  }

  /**
   * Group commit: the requests that arrive in one turn are written in one transaction, so under load one commit (and
   * one FTS segment flush) serves up to all requests in flight; each request still resolves only after the commit
   * that holds its events.
   */
  const write = groupCommit(db, apply, announce);
  const ingest = async (events: ParsedCallback[]): Promise<void> => {
    await write(events);
  };

  return { ingest };
}

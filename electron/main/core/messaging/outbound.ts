import { reduceStatus } from '../../../../shared/domain/deliveryStatus';
import { optedOutWhileWaiting, retryUsedUp, unknownIfSent } from '../../../../shared/domain/errorCodes';
import { analyzeSegments } from '../../../../shared/domain/segments';
import { mmsTooLarge } from '../../../../shared/domain/mms';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { ParsedInput } from '../../../../shared/ipc/contract';
import { AppError } from '../../../../shared/ipc/errors';
import type { Message } from '../../../../shared/ipc/schemas';
import { formatPhone } from '../../../../shared/domain/phone';
import { BandwidthError, describeFailure, type BandwidthFailure } from '../bandwidth/errors';
import type { ListedMessage } from '../bandwidth/messaging';
import type { SendQueue } from '../queue/sendQueue';
import { backoffMs, DEFAULT_RETRY, type RetryPolicy } from '../queue/retryPolicy';
import { getAttachment } from '../store/attachments';
import { groupCommit } from '../store/groupCommit';
import type { QueueJob } from '../store/queue';
import { enqueue, getJob, inFlightJobs, removeJob, rescheduleJob } from '../store/queue';
import {
  acceptMessage,
  advanceMessageStatus,
  deleteMessage,
  findMessageByBandwidthId,
  findMessageByClientKey,
  getMessage,
  getMessages,
  insertMessage,
  retryMessage,
  stepMessageStatus,
} from '../store/messages';
import { optedOutAmong } from '../store/optOuts';
import { upsertThread } from '../store/threads';
import { quietHoursRelease } from './compliance';
import type { EngineContext } from './context';
import { bandwidthTag, publish, publishThread } from './context';
import type { MediaService } from './media';

export interface OutboundOptions {
  retry?: RetryPolicy;
  /** How long after an unanswered request to look it up in Bandwidth's message list (its index lags a little). */
  settleDelayMs?: number;
  /** How long to hold the queue when Bandwidth refuses our credentials (401/403) before trying again. */
  authPauseMs?: number;
}

/** How far Bandwidth's clock (a listed message's receive time) may be from ours when a send is looked up (see lookUp). */
const CLOCK_SKEW_MS = 60_000;

/** The widest range Bandwidth's message list searches (REFERENCE.md §2.2); a wider one is refused with 400. */
const LIST_RANGE_MS = 14 * 86_400_000;

/** How often sends that are still going are recorded and announced as `sending` (see markSending). */
const SENDING_ANNOUNCE_MS = 250;

/** Sending: the write-ahead of a message with its queue entry, each attempt, crash settlement, retry and cancel. */
export function createOutbound(ctx: EngineContext, queue: () => SendQueue, media: MediaService, options: OutboundOptions = {}) {
  const { db, clock, logger } = ctx;
  const retryPolicy = options.retry ?? DEFAULT_RETRY;
  const settleDelayMs = options.settleDelayMs ?? 5_000;
  const authPauseMs = options.authPauseMs ?? 60_000;
  const settleTimers = new Set<{ cancel(): void }>();

  function ownNumber(from: string) {
    const number = ctx.account.numbers.find((n) => n.number === from);
    if (!number) throw new AppError('INVALID_INPUT', `from: ${formatPhone(from)} is not one of this account's numbers`);
    return number;
  }

  /** Refuses a send or retry to numbers that opted out of `from` (the queue checks again as it takes the job). */
  function refuseOptedOut(from: string, recipients: readonly string[]): void {
    const optedOut = optedOutAmong(db, from, recipients);
    if (optedOut.length > 0) {
      throw new AppError(
        'OPTED_OUT',
        `${optedOut.map(formatPhone).join(', ')} opted out of messages from ${formatPhone(from)}. They must text START before you can message them again.`,
      );
    }
  }

  /**
   * Checks everything that can be checked before queueing, then writes the message and its queue entry in one transaction.
   * `bypassOptOut` is for the automatic confirmation of an opt-out only: its job is marked exempt, for the queue's check too.
   */
  async function send(input: ParsedInput<'messages.send'>, bypassOptOut = false): Promise<Message> {
    const repeated = input.clientKey ? findMessageByClientKey(db, input.clientKey) : null;
    if (repeated) return repeated;
    const sender = ownNumber(input.from);
    const key = threadKey(input.from, input.to);
    const recipients = key.participants;
    const attachments = input.attachments ?? [];
    const isMms = attachments.length > 0 || recipients.length > 1;
    if (recipients.length > 1 && sender.class === 'toll-free') {
      throw new AppError('INVALID_INPUT', 'to: group messages cannot be sent from a toll-free number (Bandwidth does not support it)');
    }
    if (!bypassOptOut) refuseOptedOut(input.from, recipients);
    let total = 0;
    attachments.forEach((id, index) => {
      const record = getAttachment(db, id);
      if (!record || record.messageId !== null || record.state !== 'ready') {
        throw new AppError('INVALID_INPUT', `attachments.${index}: this file is not ready to send (it was removed or already sent); attach it again`);
      }
      total += record.size;
    });
    // The limit and its wording are shared with the composer, which warns before the agent sends.
    const tooLarge = mmsTooLarge(total, sender.class);
    if (tooLarge) throw new AppError('INVALID_INPUT', tooLarge);
    const text = input.text ?? '';
    const segments = analyzeSegments(text);
    const now = clock.now();
    let sendAt = input.sendAt && input.sendAt > now ? input.sendAt : null;
    if (!sendAt && input.priority !== 'high') {
      const { releaseAt } = await quietHoursRelease(recipients, now, ctx.settings().quietHours);
      if (releaseAt > now) sendAt = releaseAt;
    }
    const write = db.transaction(() => {
      const thread = upsertThread(db, key, now);
      const created = insertMessage(db, {
        threadId: thread.id,
        direction: 'out',
        from: input.from,
        to: recipients,
        text,
        status: sendAt ? 'scheduled' : 'queued',
        createdAt: now,
        sendAt,
        priority: input.priority ?? 'default',
        tag: input.tag ?? null,
        segments: isMms ? 1 : segments.segments,
        encoding: segments.encoding,
        attachmentIds: attachments,
        clientKey: input.clientKey ?? null,
      });
      enqueue(db, { messageId: created.id, nextAttemptAt: sendAt ?? now, priority: input.priority === 'high' ? 1 : 0, at: now, optOutExempt: bypassOptOut });
      return created;
    });
    let message: Message;
    try {
      // IMMEDIATE, as every transaction here that reads before it writes (see the send queue's claim).
      message = write.immediate();
    } catch (error) {
      // The same key sent twice at once: the first write won; answer with its message.
      const first = input.clientKey ? findMessageByClientKey(db, input.clientKey) : null;
      if (first) return first;
      throw error;
    }
    publish(ctx, 'message.created', [message]);
    queue().wake();
    return message;
  }

  function advance(messageId: string, change: Parameters<typeof advanceMessageStatus>[2]): void {
    const result = advanceMessageStatus(db, messageId, change);
    if (result?.changed) publish(ctx, 'message.statusChanged', [result.message]);
  }

  function fail(messageId: string, detail: string): void {
    sendingUnannounced.delete(messageId);
    const result = db.transaction(() => {
      removeJob(db, messageId);
      return advanceMessageStatus(db, messageId, { status: 'failed', at: clock.now(), errorDetail: detail });
    })();
    if (result?.changed) publish(ctx, 'message.statusChanged', [result.message]);
  }

  function later(job: QueueJob, failure: BandwidthFailure): void {
    const retryAfter = failure.kind === 'rejected' ? failure.retryAfterMs : null;
    rescheduleJob(db, job.messageId, clock.now() + backoffMs(job.attempts, retryPolicy, retryAfter), describeFailure(failure));
  }

  /**
   * `sending` is recorded and announced in batches, every SENDING_ANNOUNCE_MS at most, for the sends still going by
   * then: most are accepted sooner, and their messages go from queued straight to accepted (steps may be skipped, never
   * reversed), which saves a status write and an event per send. While a request is out, the write-ahead is the job's
   * in-flight mark. The step goes through the reducer when it is written, so it never undoes a newer status.
   */
  const sendingUnannounced = new Set<string>();
  let sendingTimer: { cancel(): void } | null = null;
  function markSending(messageId: string): void {
    sendingUnannounced.add(messageId);
    if (sendingTimer) return;
    sendingTimer = clock.setTimeout(() => {
      sendingTimer = null;
      const ids = [...sendingUnannounced];
      sendingUnannounced.clear();
      const at = clock.now();
      // IMMEDIATE: it reads before it writes (see the send queue's claim).
      const moved = db.transaction(() => ids.filter((id) => stepMessageStatus(db, id, { status: 'sending', at })?.changed)).immediate();
      publish(ctx, 'message.statusChanged', getMessages(db, moved));
    }, SENDING_ANNOUNCE_MS);
  }

  /**
   * Called as the queue claims a job, in its transaction: a message that is no longer waiting to go (cancelled, or
   * already taken by Bandwidth per a callback) has its job dropped instead of sent. So does one to a number that opted
   * out while it waited (scheduled, held by quiet hours or the limiter, backing off), and its message fails: after STOP
   * only the confirmation may go (its job is exempt). A group message cannot go to part of its group (that would be
   * another conversation), so one opted-out recipient stops it for all.
   */
  function begin(job: QueueJob): boolean {
    if (reduceStatus(job.status, { type: 'advance', status: 'sending' }) !== 'sending') {
      removeJob(db, job.messageId);
      return false;
    }
    if (job.optedOut) {
      removeJob(db, job.messageId);
      advanceMessageStatus(db, job.messageId, { status: 'failed', at: clock.now(), errorDetail: optedOutWhileWaiting(optedOutAmong(db, job.from, job.to)) });
      announceFailedAfterClaim(job.messageId);
      return false;
    }
    return true;
  }

  /**
   * The claim's transaction is still open in begin, and its events may go only once it has committed. Every claim runs
   * synchronously (the queue's own, or inside a group commit), so a microtask runs after its commit or rollback; a
   * rollback left the message waiting, which is why only the messages failed as read then are announced.
   */
  const failedInClaim = new Set<string>();
  function announceFailedAfterClaim(messageId: string): void {
    if (failedInClaim.size === 0) {
      queueMicrotask(() => {
        const ids = [...failedInClaim];
        failedInClaim.clear();
        publish(ctx, 'message.statusChanged', getMessages(db, ids).filter((m) => m.status === 'failed'));
        // The queue's depth changed.
        queue().wake();
      });
    }
    failedInClaim.add(messageId);
  }

  /**
   * Bandwidth took the message: its id, the job gone and `accepted`, in one transaction with the other outcomes of the
   * turn and the queue's claim of the jobs that take their places; acceptMessage returns each message as written, for
   * one event per commit. Bandwidth's id is new even when a callback got the status there first, so every one is announced.
   */
  const recordAccepted = groupCommit(
    db,
    ({ messageId, bandwidthId }: { messageId: string; bandwidthId: string }): Message | null => {
      sendingUnannounced.delete(messageId);
      removeJob(db, messageId);
      return acceptMessage(db, messageId, bandwidthId, clock.now());
    },
    (results) => publish(ctx, 'message.statusChanged', results.filter((m): m is Message => m !== null)),
    (accepted) => queue().refill(accepted.map((a) => a.messageId)),
  );

  /** One attempt of a job the queue has marked in flight (and committed). Every outcome is written here. */
  async function attempt(job: QueueJob): Promise<void> {
    // Here rather than in begin: only a claim that committed may announce its job as going.
    markSending(job.messageId);
    let mediaUrls: string[] = [];
    if (job.mediaCount > 0) {
      // The job carries all a text needs; files are uploaded from the message's attachment records.
      const message = getMessage(db, job.messageId);
      if (!message) return;
      try {
        mediaUrls = await media.uploadForSend(message);
      } catch (error) {
        const failure = (error as { failure?: BandwidthFailure }).failure;
        const words = error instanceof Error ? error.message : String(error);
        return failure ? refused(job, failure, words) : fail(job.messageId, words);
      }
      // A STOP may have come in while the files went up (the claim checked before). The exempt opt-out confirmation
      // is text only, so it never reaches this.
      const optedOut = optedOutAmong(db, job.from, job.to);
      if (optedOut.length > 0) return fail(job.messageId, optedOutWhileWaiting(optedOut));
    }
    const result = await ctx.client.messaging.sendMessage({
      from: job.from,
      to: job.to,
      text: job.text || undefined,
      media: mediaUrls.length ? mediaUrls : undefined,
      tag: bandwidthTag(job.messageId),
      priority: job.sendPriority,
    });
    if (result.kind === 'accepted') {
      await recordAccepted({ messageId: job.messageId, bandwidthId: result.message.id });
      return;
    }
    if (result.kind === 'network' && result.maybeSent) {
      // The request may have reached Bandwidth: look it up before any resend.
      scheduleSettle(job.messageId, settleDelayMs);
      return;
    }
    refused(job, result);
  }

  /**
   * A request of an attempt that did not succeed (the upload of a file or the send itself), other than a send that may
   * have reached Bandwidth. `words` say why, should the message fail.
   */
  function refused(job: QueueJob, failure: BandwidthFailure, words = describeFailure(failure)): void {
    if (failure.kind === 'rejected' && (failure.status === 401 || failure.status === 403)) {
      // Our credentials stopped working: hold everything rather than fail every queued message.
      logger.warn('Bandwidth refused our credentials; holding the queue', { status: failure.status });
      rescheduleJob(db, job.messageId, clock.now(), describeFailure(failure));
      queue().pauseUntil(clock.now() + authPauseMs);
      return;
    }
    if (failure.retryable) return later(job, failure);
    fail(job.messageId, words);
  }

  function scheduleSettle(messageId: string, delay: number): void {
    const timer = clock.setTimeout(() => {
      settleTimers.delete(timer);
      void settleInFlight(messageId);
    }, delay);
    settleTimers.add(timer);
  }

  /**
   * Settles sends whose outcome is unknown (in flight at a crash, or cut off mid-request): if Bandwidth's message
   * list shows a message from our number to the first recipient around the time of the attempt that no message of
   * ours claims, that was this send (the closest in time, see lookUp); otherwise the request never arrived and the job
   * goes back to the queue. The queue sends one message at a time per conversation, so no other send of ours can be
   * that message: an earlier one in the window settled before this one went, and its message claims its id.
   */
  async function settleInFlight(only?: string): Promise<void> {
    const jobs = inFlightJobs(db).filter((job) => only === undefined || job.messageId === only);
    for (const job of jobs) {
      const message = getMessage(db, job.messageId);
      if (!message) continue;
      const since = job.inFlightSince ?? job.createdAt;
      const wait = since + settleDelayMs - clock.now();
      if (wait > 0) {
        scheduleSettle(job.messageId, wait);
        continue;
      }
      if (message.bandwidthId) {
        // A status callback (matched by our tag) already told us Bandwidth has it.
        db.transaction(() => removeJob(db, message.id))();
        advance(message.id, { status: 'accepted', at: clock.now() });
        continue;
      }
      // lookUp asks from the attempt until now (with the skew either side): past the list's range Bandwidth refuses the
      // question, and whether it has the message can no longer be learnt.
      if (clock.now() - since + 2 * CLOCK_SKEW_MS > LIST_RANGE_MS) {
        fail(message.id, unknownIfSent(`Bandwidth's message list, which reaches back ${LIST_RANGE_MS / 86_400_000} days only, can no longer say whether it got it`));
        continue;
      }
      let found: string | null;
      try {
        found = await lookUp(message, since);
      } catch (error) {
        const failure = error instanceof BandwidthError ? error.failure : null;
        // A refusal that asking again cannot change (not our credentials: the queue waits for those) would repeat for
        // ever, and the conversation sends nothing while this message is unsettled.
        if (failure?.kind === 'rejected' && !failure.retryable && failure.status !== 401 && failure.status !== 403) {
          fail(message.id, unknownIfSent(`looking it up in Bandwidth's message list failed for good (${describeFailure(failure)})`));
          continue;
        }
        logger.warn('could not look up an unsettled send; will try again', { messageId: message.id, error: String(error) });
        scheduleSettle(job.messageId, Math.max(settleDelayMs, 1000));
        continue;
      }
      if (found) {
        await recordAccepted({ messageId: message.id, bandwidthId: found });
      } else {
        rescheduleJob(db, message.id, clock.now(), 'resent: the earlier attempt never reached Bandwidth');
      }
    }
    queue().wake();
  }

  /**
   * This send in Bandwidth's list, if it got there: of the conversation's outbound messages that no message of ours
   * claims, the one received closest to the attempt. Receive times are Bandwidth's clock and `since` is ours, so the
   * query and the check both allow CLOCK_SKEW_MS either way. Bandwidth counts segments in plain UTF-16 units
   * (REFERENCE.md §5) where we keep surrogate pairs and GSM escapes whole, so a count unlike ours only loses a tie.
   */
  async function lookUp(message: Message, since: number): Promise<string | null> {
    const candidates: ListedMessage[] = [];
    let pageToken: string | undefined;
    do {
      const page = await ctx.client.messaging.listMessages({
        sourceTn: message.from,
        destinationTn: message.to[0],
        messageDirection: 'OUTBOUND',
        fromDateTime: since - CLOCK_SKEW_MS,
        toDateTime: clock.now() + CLOCK_SKEW_MS,
        limit: 100,
        pageToken,
      });
      candidates.push(
        ...page.messages.filter((m) => (m.receiveTime ?? Infinity) >= since - CLOCK_SKEW_MS && !findMessageByBandwidthId(db, 'out', m.messageId)),
      );
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    // Every page is read: the list comes newest first, so the closest may be on any of them.
    const distance = (m: ListedMessage) => Math.abs((m.receiveTime ?? Infinity) - since);
    const countDiffers = (m: ListedMessage) => (m.segmentCount === message.segments ? 0 : 1);
    candidates.sort((a, b) => distance(a) - distance(b) || countDiffers(a) - countDiffers(b));
    return candidates[0]?.messageId ?? null;
  }

  /**
   * The agent's retry of a failed message: a real new attempt, when a retry can help (never to an opted-out number, and
   * only once for a failure worth one more try only: the rule that hides the Retry button, enforced here too).
   */
  function retry(messageId: string): Message {
    const now = clock.now();
    const message = db.transaction(() => {
      const failed = getMessage(db, messageId);
      if (failed?.status === 'failed' && retryUsedUp(failed)) {
        throw new AppError('CONFLICT', 'This message was retried once already and failed again. Another retry is unlikely to help and could deliver it twice: reach the customer another way.');
      }
      const retried = retryMessage(db, messageId, now);
      refuseOptedOut(retried.from, retried.to);
      enqueue(db, { messageId, nextAttemptAt: now, priority: retried.priority === 'high' ? 1 : 0, at: now });
      return retried;
    }).immediate();
    publish(ctx, 'message.statusChanged', [message]);
    queue().wake();
    return message;
  }

  /** Cancels a message that has not gone out (scheduled or waiting in the queue); one being sent cannot be. */
  function cancel(messageId: string): Message {
    const message = getMessage(db, messageId);
    if (!message) throw new AppError('NOT_FOUND', 'This message no longer exists');
    const removed = db.transaction(() => {
      if (getJob(db, messageId)?.state !== 'waiting' || (message.status !== 'scheduled' && message.status !== 'queued')) return false;
      return deleteMessage(db, messageId);
    }).immediate();
    if (!removed) throw new AppError('CONFLICT', 'This message is already being sent and can no longer be cancelled');
    ctx.bus.emit('message.deleted', { messageId, threadId: message.threadId });
    publishThread(ctx, message.threadId);
    return message;
  }

  return {
    send,
    attempt,
    begin,
    settleInFlight,
    retry,
    cancel,
    stop() {
      for (const timer of settleTimers) timer.cancel();
      settleTimers.clear();
      sendingTimer?.cancel();
      sendingTimer = null;
    },
  };
}

export type Outbound = ReturnType<typeof createOutbound>;

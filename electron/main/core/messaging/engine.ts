import type { QueueStatus } from '../../../../shared/ipc/schemas';
import { type Backlog, DEFAULT_MPS, RateLimiter } from '../queue/rateLimiter';
import type { RetryPolicy } from '../queue/retryPolicy';
import { createSendQueue, type SendQueue } from '../queue/sendQueue';
import { throttle } from '../queue/throttle';
import { pruneCallbackEvents } from '../store/callbackEvents';
import { queueBacklog } from '../store/queue';
import type { EngineContext } from './context';
import { createInbound, type Reply } from './inbound';
import { createMediaService, type MediaServiceOptions } from './media';
import { createOutbound, type OutboundOptions } from './outbound';
import { createReconciler, type ReconcileOptions } from './reconcile';

export interface EngineOptions extends OutboundOptions {
  retry?: RetryPolicy;
  media?: MediaServiceOptions;
  reconcile?: ReconcileOptions & { everyMs?: number };
  concurrency?: number;
}

const GC_EVERY_MS = 24 * 60 * 60_000;
/** Bandwidth retries a callback for 24 hours (REFERENCE.md §6): its dedupe record is kept a week, then forgotten. */
export const CALLBACK_RECORDS_KEPT_MS = 7 * 24 * 60 * 60_000;
/** How often the queue's status may be announced while it keeps changing (a window redraws it, a person reads it). */
const ANNOUNCE_EVERY_MS = 100;
/**
 * Reading the status takes time in proportion to the queue's depth (tens of ms for 20,000 waiting): a deep queue is
 * announced less often, so that reading it takes at most about this share of the time.
 */
const ANNOUNCE_SHARE = 0.02;

/** Shown on the automatic replies to STOP, START and HELP (the bubble shows a message's tag), so no one takes them for an agent's. */
const AUTO_REPLY_TAG = 'automatic reply';

/** The message engine for one account: the one place that combines store, queue, callbacks and media. */
export function createEngine(ctx: EngineContext, options: EngineOptions = {}) {
  const { clock, logger, account } = ctx;
  const limiter = new RateLimiter({
    numbers: account.numbers.map((n) => ({ number: n.number, mps: n.mps ?? DEFAULT_MPS[n.class] })),
    accountMps: account.accountMps,
  });
  const media = createMediaService(ctx, options.media);
  const outbound = createOutbound(ctx, () => queue, media, options);
  const reconciler = createReconciler(ctx, options.reconcile);

  /**
   * What waits to go, as the bubbles show it (a clock: queued or sending), and when the first and the last of it should
   * go: each number at its own rate, every segment and recipient counted, within the account's cap, after what the
   * rates have already taken, any back-off and a pause. One grouped read of the queue.
   */
  function status(): QueueStatus {
    const now = clock.now();
    const start = Math.max(now, queue.pausedUntil());
    let queued = 0;
    let scheduled = 0;
    const waiting: Backlog[] = [];
    for (const n of queueBacklog(ctx.db)) {
      queued += n.queued;
      scheduled += n.scheduled;
      if (n.firstDue !== null && n.lastDue !== null && n.cheapest !== null) {
        waiting.push({ from: n.from, start: Math.max(start, n.firstDue), cost: n.cost, cheapest: n.cheapest, lastDue: n.lastDue });
      }
    }
    if (queued === 0) return { depth: scheduled, scheduled, nextSendAt: null, drainedBy: null };
    // Nothing left to take: what is queued is in flight, going now.
    const eta = limiter.estimate(waiting) ?? { first: now, last: now };
    return { depth: queued + scheduled, scheduled, nextSendAt: eta.first, drainedBy: eta.last };
  }

  let lastStatus = '';
  let stopped = false;
  let announceEveryMs = ANNOUNCE_EVERY_MS;
  // The queue changes twice per send, and a status reads the whole queue: while it keeps changing, one announcement
  // every ANNOUNCE_EVERY_MS (or longer, see ANNOUNCE_SHARE) is plenty for a person to read.
  const announcer = throttle(() => {
    const started = performance.now();
    const current = status();
    announceEveryMs = Math.max(ANNOUNCE_EVERY_MS, (performance.now() - started) / ANNOUNCE_SHARE);
    const key = JSON.stringify(current);
    if (key === lastStatus) return;
    lastStatus = key;
    ctx.bus.emit('queue.changed', current);
  }, () => announceEveryMs);
  const announce = () => {
    if (!stopped) announcer.call();
  };

  const queue: SendQueue = createSendQueue({ db: ctx.db, clock, logger, limiter, attempt: outbound.attempt, begin: outbound.begin, concurrency: options.concurrency, onChange: announce });

  const autoReply = (reply: Reply) => {
    const replies = ctx.settings().autoReplies;
    if (!replies.enabled) return;
    const text = reply.keyword === 'opt-out' ? replies.stop : reply.keyword === 'opt-in' ? replies.start : replies.help;
    if (!text) return;
    // The one message an opted-out number may still get: the confirmation that it is opted out.
    outbound.send({ from: reply.from, to: [reply.to], text, priority: 'high', tag: AUTO_REPLY_TAG }, true).catch((error: unknown) => logger.warn('auto-reply not sent', { error: String(error) }));
  };
  const inbound = createInbound(ctx, media, autoReply);

  /** Daily: files nothing refers to any more (abandoned uploads, deleted messages), and callback records past their retries. */
  async function housekeep(): Promise<void> {
    pruneCallbackEvents(ctx.db, clock.now() - CALLBACK_RECORDS_KEPT_MS);
    await media.collect();
  }

  const timers = new Set<{ cancel(): void }>();
  /** Runs `task` every `everyMs` (after each run ends), until stop(). */
  const every = (everyMs: number, task: () => Promise<unknown>) => {
    const loop = () => {
      const timer = clock.setTimeout(() => {
        timers.delete(timer);
        void task()
          .catch((error: unknown) => logger.warn('a periodic task failed', { error: String(error) }))
          .finally(loop);
      }, everyMs);
      timers.add(timer);
    };
    loop();
  };

  return {
    send: outbound.send,
    retry: outbound.retry,
    cancel: (messageId: string) => {
      const message = outbound.cancel(messageId);
      announce();
      return message;
    },
    stage: media.stage,
    discard: media.discard,
    resolveMedia: media.resolve,
    housekeep,
    ingest: inbound.ingest,
    reconcile: reconciler.run,
    status,
    /** Resumes after a restart: settles sends cut off by a crash, resumes downloads (and measures older pictures), then sends and reconciles. */
    async start(): Promise<void> {
      queue.start();
      await outbound.settleInFlight();
      media.resumeDownloads();
      void media.measureOldPictures().catch((error: unknown) => logger.warn('measuring older pictures failed', { error: String(error) }));
      void reconciler.run();
      every(options.reconcile?.everyMs ?? 5 * 60_000, reconciler.run);
      // Once a day, and once soon after start.
      every(GC_EVERY_MS, housekeep);
      const firstGc = clock.setTimeout(() => void housekeep().catch((error: unknown) => logger.warn('housekeeping failed', { error: String(error) })), 60_000);
      timers.add(firstGc);
      announce();
    },
    async stop(): Promise<void> {
      stopped = true;
      announcer.cancel();
      for (const timer of timers) timer.cancel();
      timers.clear();
      outbound.stop();
      media.stop();
      await Promise.all([queue.stop(), reconciler.stop()]);
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;

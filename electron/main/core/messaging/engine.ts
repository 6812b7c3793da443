import type { QueueStatus } from '../../../../shared/ipc/schemas';
import { DEFAULT_MPS, RateLimiter } from '../queue/rateLimiter';
import type { RetryPolicy } from '../queue/retryPolicy';
import { createSendQueue, type SendQueue } from '../queue/sendQueue';
import { throttle } from '../queue/throttle';
import { pruneCallbackEvents } from '../store/callbackEvents';
import { queueCounts } from '../store/queue';
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

  function status(): QueueStatus {
    const counts = queueCounts(ctx.db);
    const next = counts.depth - counts.scheduled > 0 ? queue.nextSendAt() : null;
    // A rough finish time: what waits, at the account's (or the numbers' combined) rate.
    const rate = account.accountMps ?? account.numbers.reduce((sum, n) => sum + (n.mps ?? DEFAULT_MPS[n.class]), 0);
    const drainedBy = next === null ? null : next + Math.ceil(((counts.depth - counts.scheduled) / Math.max(rate, 0.001)) * 1000);
    return { ...counts, nextSendAt: next, drainedBy };
  }

  let lastStatus = '';
  let stopped = false;
  // The queue changes twice per send, and a status costs two counting queries (one reads the whole queue): while it
  // keeps changing, one announcement every ANNOUNCE_EVERY_MS is plenty for a person to read.
  const announcer = throttle(() => {
    const current = status();
    const key = JSON.stringify(current);
    if (key === lastStatus) return;
    lastStatus = key;
    ctx.bus.emit('queue.changed', current);
  }, ANNOUNCE_EVERY_MS);
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
    outbound.send({ from: reply.from, to: [reply.to], text, priority: 'high' }, true).catch((error: unknown) => logger.warn('auto-reply not sent', { error: String(error) }));
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
    cancel: outbound.cancel,
    stage: media.stage,
    discard: media.discard,
    resolveMedia: media.resolve,
    housekeep,
    ingest: inbound.ingest,
    reconcile: reconciler.run,
    status,
    /** Resumes after a restart: settles sends cut off by a crash, resumes downloads, then sends and reconciles. */
    async start(): Promise<void> {
      queue.start();
      await outbound.settleInFlight();
      media.resumeDownloads();
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

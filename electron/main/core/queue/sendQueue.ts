import type { Db } from '../store/database';
import type { QueueJob } from '../store/queue';
import { conversationOf, dueJobs, inFlightConversations, markInFlight, nextDueAfter } from '../store/queue';
import type { Clock, Logger } from '../platform/ports';
import type { RateLimiter } from './rateLimiter';

/** Timers take at most 2^31-1 ms: Node fires longer ones after 1 ms (a busy loop for a send scheduled years ahead). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SendQueueOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  limiter: RateLimiter;
  /**
   * Sends one job whose row is already marked in flight (committed before any network call) and settles it:
   * every outcome (accepted, rescheduled, failed) is written by the attempt itself.
   */
  attempt: (job: QueueJob) => Promise<void>;
  /**
   * Runs in the transaction that marks a job in flight, before its request (and before the limiter counts it): false
   * when the job is no longer to be sent, which it removes itself.
   */
  begin?: (job: QueueJob) => boolean;
  /**
   * Requests at Bandwidth at once; sends are paced by the limiter, this only bounds open requests. The default matches
   * the HTTP client's connections per origin: at Bandwidth's ~100 ms a request, 64 keep several short codes busy, and
   * under load the answers that arrive together settle (and refill) in bigger groups, each one commit.
   */
  concurrency?: number;
  /** Called whenever the queue's depth may have changed: a job started or settled, or a wake (one was queued, say). */
  onChange?: () => void;
}

export interface SendQueue {
  start(): void;
  /** Look again now: a message was queued, a retry became due, the network came back. */
  wake(): void;
  /** Pauses taking new jobs until `until` (e.g. the credentials stopped working); in-flight ones finish. */
  pauseUntil(until: number): void;
  /** Until when it is paused (epoch ms; in the past when it is not). */
  pausedUntil(): number;
  /**
   * Claims jobs for the slots that the attempts of `settled` free, inside the caller's open transaction, which writes
   * those attempts' outcomes: the outcomes and the next claims commit together (one commit per turn, not two). Returns
   * what starts the claimed jobs' requests: call it only once that transaction has committed; if it fails, the jobs
   * stay waiting in the store and the next look takes them.
   */
  refill(settled: readonly string[]): () => void;
  /** Stops taking jobs and waits for the requests in flight to settle. */
  stop(): Promise<void>;
}

/**
 * The send loop: due jobs, highest priority first, each sent when its number's and the account's rate allow,
 * one at a time per conversation (see conversationOf).
 * A job is marked in flight in SQLite before its request, so a crash leaves evidence to settle it by lookup.
 */
export function createSendQueue(options: SendQueueOptions): SendQueue {
  const { db, clock, logger, limiter } = options;
  const concurrency = options.concurrency ?? 64;
  const inFlight = new Map<string, Promise<void>>();
  let timer: { cancel(): void } | null = null;
  let timerAt = Infinity;
  let running = false;
  let pumping = false;
  let again = false;
  let pausedUntil = 0;
  let nextRateSlot: number | null = null;
  /**
   * The numbers every due job waiting to go is from (leaving out conversations with a send in flight), as the last look
   * that saw every due job found them, and when the next job not yet due then falls due. While it holds, a look can
   * find something only when one of these numbers is free to send: in a paced backlog the limiter holds them all most
   * of the time, every settled send asks for a look, and each would read every waiting row to find nothing. It stops
   * holding when something else may have become due: a wake (a job queued or settled elsewhere), a settled attempt of
   * another number (a retry, or a conversation it freed), or the next job's time.
   */
  let known: { from: Set<string>; until: number } | null = null;

  function schedule(at: number): void {
    if (!running || at >= timerAt) return;
    timer?.cancel();
    timerAt = at;
    timer = clock.setTimeout(() => {
      timer = null;
      timerAt = Infinity;
      pump();
    }, Math.min(MAX_TIMER_MS, Math.max(0, at - clock.now())));
  }

  function pump(): void {
    if (!running) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        fill();
      } while (again && running);
    } finally {
      pumping = false;
    }
  }

  // Attempts settle in groups (their outcomes are committed together): one look at the queue per turn refills them all.
  let pumpQueued = false;
  function pumpSoon(): void {
    if (pumpQueued) return;
    pumpQueued = true;
    setImmediate(() => {
      pumpQueued = false;
      pump();
    });
  }

  function start(job: QueueJob): void {
    const run = options
      .attempt(job)
      .catch((error: unknown) => logger.error('send attempt failed unexpectedly', { messageId: job.messageId, error: String(error) }))
      .finally(() => {
        inFlight.delete(job.messageId);
        if (known && !known.from.has(job.from)) known = null;
        options.onChange?.();
        pumpSoon();
      });
    inFlight.set(job.messageId, run);
    options.onChange?.();
  }

  /** Whether the limiter holds `from` now; if so it joins `blocked` and the next rate slot is noted. */
  function held(from: string, now: number, blocked: Set<string>): boolean {
    if (blocked.has(from)) return true;
    const wait = limiter.wait(from, now);
    if (wait <= 0) return false;
    blocked.add(from);
    nextRateSlot = Math.min(nextRateSlot ?? Infinity, now + wait);
    return true;
  }

  /** Whether `known` says no look can find a job to take now (every number with due jobs is held). */
  function nothingToTake(now: number, blocked: Set<string>): boolean {
    if (known && now >= known.until) known = null;
    return known !== null && [...known.from].every((from) => held(from, now, blocked));
  }

  /** Marks up to `free` jobs that may go now in flight (run it in a transaction) and returns them. */
  function claimJobs(now: number, free: number): QueueJob[] {
    const claimed: QueueJob[] = [];
    const blocked = new Set<string>();
    // In flight in the store, not only here: a send awaiting its crash settlement holds its conversation too.
    const busy = new Set(inFlightConversations(db));
    let sawAll = false;
    // Numbers the limiter holds and busy conversations are left out of the next look, so one backlog never stalls the others.
    for (let progress = true; free > 0 && progress && !nothingToTake(now, blocked); ) {
      progress = false;
      const jobs = dueJobs(db, now, free, [...blocked], [...busy]);
      // Fewer than asked for, each taken or found held: every due job outside busy conversations is of a blocked number.
      sawAll = jobs.length < free;
      for (const job of jobs) {
        if (free === 0) {
          sawAll = false;
          break;
        }
        if (inFlight.has(job.messageId) || blocked.has(job.from) || busy.has(conversationOf(job))) continue;
        if (held(job.from, now, blocked)) {
          progress = true;
          continue;
        }
        if (!markInFlight(db, job.messageId, now)) continue;
        if (options.begin && !options.begin(job)) {
          // Dropped (and removed): look again for one to take its place.
          progress = true;
          continue;
        }
        busy.add(conversationOf(job));
        limiter.take(job.from, Math.max(1, job.segments) * job.recipients, now);
        free--;
        progress = true;
        claimed.push(job);
      }
    }
    if (sawAll) known = { from: blocked, until: nextDueAfter(db, now) ?? Infinity };
    return claimed;
  }

  /**
   * claimJobs in a transaction of its own. It reads before it writes, so it takes the write lock up front (IMMEDIATE):
   * a deferred one cannot wait for another connection's lock (a WAL checkpoint's, say) once it has read, and fails
   * with SQLITE_BUSY instead.
   */
  const claim = db.transaction(claimJobs);

  function fill(): void {
    const now = clock.now();
    if (now < pausedUntil) return schedule(pausedUntil);
    nextRateSlot = null;
    const free = concurrency - inFlight.size;
    // Committed before any of their requests go out: a crash now leaves them in flight, to be settled by lookup.
    if (free > 0 && !nothingToTake(now, new Set())) for (const job of claim.immediate(now, free)) start(job);
    // Every slot taken: the next attempt to settle looks again, no timer needed.
    if (inFlight.size >= concurrency) return;
    const wakeAt = Math.min(nextRateSlot ?? Infinity, nextDueAfter(db, now) ?? Infinity);
    if (wakeAt < Infinity) schedule(wakeAt);
  }

  return {
    start() {
      running = true;
      pump();
    },
    wake() {
      known = null;
      // Whether or not a job can go now, what waits has changed (a job held by the limiter would otherwise go unannounced).
      options.onChange?.();
      pump();
    },
    pauseUntil(until) {
      pausedUntil = Math.max(pausedUntil, until);
      schedule(pausedUntil);
    },
    refill(settled) {
      if (!db.inTransaction) throw new Error('refill runs inside the transaction that settles its attempts');
      const now = clock.now();
      // Settled attempts' slots are free: their outcomes are written, only their promises have yet to finish.
      const free = concurrency - inFlight.size + settled.filter((id) => inFlight.has(id)).length;
      if (!running || now < pausedUntil || free <= 0 || nothingToTake(now, new Set())) return () => {};
      const claimed = claimJobs(now, free);
      return () => claimed.forEach(start);
    },
    pausedUntil: () => pausedUntil,
    async stop() {
      running = false;
      timer?.cancel();
      timer = null;
      await Promise.all(inFlight.values());
    },
  };
}

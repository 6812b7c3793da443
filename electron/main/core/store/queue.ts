import type { MessageStatus } from '../../../../shared/ipc/schemas';
import type { Db } from './database';
import { stmt } from './database';
import { parseRecipients } from './messages';

export type JobState = 'waiting' | 'in-flight';

/**
 * A send job joined with what the sender needs to pace it (the message's number, recipients and size) and, for a
 * message without files, to send it: the send loop makes its request from the job, without reading the message again.
 */
export interface QueueJob {
  messageId: string;
  state: JobState;
  /** Higher goes first among due jobs. */
  priority: number;
  attempts: number;
  nextAttemptAt: number;
  /** Set while a request may be at Bandwidth; after a crash such a job is settled by a lookup, not a resend. */
  inFlightSince: number | null;
  lastError: string | null;
  createdAt: number;
  from: string;
  /** The first recipient: with `from`, the conversation a crash settlement looks the send up by. */
  firstRecipient: string;
  to: string[];
  recipients: number;
  text: string;
  /** Bandwidth's priority for the request (`priority` above orders the queue). */
  sendPriority: 'default' | 'high';
  /** Files to upload first: the attempt reads the whole message for those. */
  mediaCount: number;
  segments: number;
  status: MessageStatus;
  /**
   * A recipient has opted out of `from` since the message was written, and the job is not the exempt opt-out
   * confirmation (migration 015): it must not be sent.
   */
  optedOut: boolean;
}

interface JobRow {
  message_id: string;
  state: JobState;
  priority: number;
  attempts: number;
  next_attempt_at: number;
  in_flight_since: number | null;
  last_error: string | null;
  created_at: number;
  from_number: string;
  first_recipient: string;
  to_numbers: string;
  text: string;
  send_priority: 'default' | 'high';
  media_count: number;
  segments: number;
  status: MessageStatus;
  opted_out: 0 | 1;
}

/**
 * `opted_out` is read with the job, by the claim's own statement, rather than by one more statement per job: one
 * primary-key probe of opt_outs per recipient, and none for the exempt confirmation.
 */
const JOB_COLUMNS = `q.message_id, q.state, q.priority, q.attempts, q.next_attempt_at, q.in_flight_since, q.last_error, q.created_at,
  q.from_number, q.first_recipient, m.to_numbers, m.text, m.priority AS send_priority, m.media_count, m.segments, m.status,
  CASE WHEN q.opt_out_exempt THEN 0 ELSE EXISTS (
    SELECT 1 FROM opt_outs o WHERE o.our_number = q.from_number AND o.number IN (SELECT value FROM json_each(m.to_numbers))) END AS opted_out`;
const SELECT_JOBS = `SELECT ${JOB_COLUMNS} FROM queue q JOIN messages m ON m.id = q.message_id`;

const toJob = (r: JobRow): QueueJob => {
  const to = parseRecipients(r.to_numbers, r.message_id);
  return {
    messageId: r.message_id,
    state: r.state,
    priority: r.priority,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    inFlightSince: r.in_flight_since,
    lastError: r.last_error,
    createdAt: r.created_at,
    from: r.from_number,
    firstRecipient: r.first_recipient,
    to,
    recipients: to.length,
    text: r.text,
    sendPriority: r.send_priority,
    mediaCount: r.media_count,
    segments: r.segments,
    status: r.status,
    optedOut: r.opted_out === 1,
  };
};

/**
 * Queues a message (write it in the same transaction as the message). `nextAttemptAt` is `sendAt` for a scheduled send.
 * The job copies the message's sender and first recipient (migration 012), so the send loop never reads messages to pace.
 * `optOutExempt` only for the automatic confirmation of an opt-out (migration 015).
 */
export function enqueue(db: Db, job: { messageId: string; nextAttemptAt: number; priority?: number; at: number; optOutExempt?: boolean }): void {
  const queued = stmt(
    db,
    `INSERT INTO queue (message_id, priority, next_attempt_at, created_at, from_number, first_recipient, cost, scheduled, opt_out_exempt)
     SELECT id, ?, ?, ?, from_number, json_extract(to_numbers, '$[0]'), max(1, segments) * json_array_length(to_numbers), status = 'scheduled', ?
     FROM messages WHERE id = ?`,
  ).run(job.priority ?? 0, job.nextAttemptAt, job.at, job.optOutExempt ? 1 : 0, job.messageId);
  if (queued.changes !== 1) throw new Error(`cannot queue message ${job.messageId}: it does not exist`);
}

export function getJob(db: Db, messageId: string): QueueJob | null {
  const row = stmt(db, `${SELECT_JOBS} WHERE q.message_id = ?`).get(messageId) as JobRow | undefined;
  return row ? toJob(row) : null;
}

/**
 * One request at a time per conversation (sender and first recipient): a send whose outcome a crash left unknown
 * is looked up in Bandwidth's list by exactly these two numbers (the list has no tag), which is unambiguous only
 * if no other send of the same conversation went out meanwhile. It also keeps a conversation's texts in order.
 */
export const conversationOf = (job: Pick<QueueJob, 'from' | 'firstRecipient'>) => `${job.from} ${job.firstRecipient}`;

/**
 * Waiting jobs due at `now`: highest priority first, then the longest waiting. `excludeFrom` leaves out sender
 * numbers the rate limiter is holding, so a backlog on one number never hides the other numbers' jobs;
 * `excludeConversations` (conversationOf) those with a request in flight, for the same reason. The jobs are found
 * in order on queue_order alone, which holds both numbers (the unary + keeps the planner from taking queue_due and
 * sorting the whole queue); only the jobs returned are joined to their messages. The limit is written into the SQL
 * (one cached statement per limit, at most the queue's concurrency): as a bound parameter the planner cannot count on a
 * small one, and each look costs about twice as much.
 */
export function dueJobs(db: Db, now: number, limit: number, excludeFrom: readonly string[] = [], excludeConversations: readonly string[] = []): QueueJob[] {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`dueJobs: limit must be a whole number, not ${limit}`);
  const rows = stmt(
    db,
    `SELECT ${JOB_COLUMNS} FROM (
       SELECT message_id, priority, next_attempt_at, created_at FROM queue
       WHERE state = 'waiting' AND +next_attempt_at <= ? AND from_number NOT IN (SELECT value FROM json_each(?))
       AND from_number || ' ' || first_recipient NOT IN (SELECT value FROM json_each(?))
       ORDER BY priority DESC, next_attempt_at, created_at, message_id LIMIT ${limit}) due
     JOIN queue q ON q.message_id = due.message_id JOIN messages m ON m.id = q.message_id
     ORDER BY due.priority DESC, due.next_attempt_at, due.created_at, due.message_id`,
  ).all(now, JSON.stringify(excludeFrom), JSON.stringify(excludeConversations)) as JobRow[];
  return rows.map(toJob);
}

/** When the next waiting job that is not yet due at `now` falls due (null when none): when to look for due jobs again. */
export function nextDueAfter(db: Db, now: number): number | null {
  return stmt(db, "SELECT min(next_attempt_at) FROM queue WHERE state = 'waiting' AND next_attempt_at > ?").pluck().get(now) as number | null;
}

/** Call just before the request goes out. False when the job is gone or already in flight. */
export function markInFlight(db: Db, messageId: string, at: number): boolean {
  return (
    stmt(db, "UPDATE queue SET state = 'in-flight', attempts = attempts + 1, in_flight_since = ?, scheduled = 0 WHERE message_id = ? AND state = 'waiting'").run(
      at,
      messageId,
    ).changes === 1
  );
}

/** Back to waiting until `nextAttemptAt` (back-off after a 429, 5xx or network error, or a cancelled attempt). */
export function rescheduleJob(db: Db, messageId: string, nextAttemptAt: number, lastError: string | null): boolean {
  return (
    stmt(db, "UPDATE queue SET state = 'waiting', next_attempt_at = ?, in_flight_since = NULL, last_error = ? WHERE message_id = ?").run(
      nextAttemptAt,
      lastError,
      messageId,
    ).changes === 1
  );
}

/** The send is settled (accepted, finally failed or cancelled): the job goes. */
export function removeJob(db: Db, messageId: string): boolean {
  return stmt(db, 'DELETE FROM queue WHERE message_id = ?').run(messageId).changes === 1;
}

/** Jobs whose request may have reached Bandwidth before a crash. */
export function inFlightJobs(db: Db): QueueJob[] {
  return (stmt(db, `${SELECT_JOBS} WHERE q.state = 'in-flight' ORDER BY q.in_flight_since`).all() as JobRow[]).map(toJob);
}

/** conversationOf each job in flight, without loading the jobs: the send loop reads it on every claim. */
export function inFlightConversations(db: Db): string[] {
  return stmt(db, `SELECT from_number || ' ' || first_recipient FROM queue WHERE state = 'in-flight'`).pluck().all() as string[];
}

/**
 * What one of our numbers has in the queue, for queue.status: `queued` what waits to go or is going (a clock on its
 * bubble), `scheduled` what waits for its chosen time. Of the queued ones not yet taken: `cost`, what they take of the
 * rates (migration 014), the cheapest one's, and when the first and last of them fall due (null when none wait).
 */
export interface NumberBacklog {
  from: string;
  queued: number;
  scheduled: number;
  cost: number;
  cheapest: number | null;
  firstDue: number | null;
  lastDue: number | null;
}

/** One grouped read of the queue alone (no message is read), by sender number. */
export function queueBacklog(db: Db): NumberBacklog[] {
  return stmt(
    db,
    `SELECT from_number AS "from", count(*) - sum(scheduled) AS queued, sum(scheduled) AS scheduled,
       coalesce(sum(cost) FILTER (WHERE waiting), 0) AS cost, min(cost) FILTER (WHERE waiting) AS cheapest,
       min(next_attempt_at) FILTER (WHERE waiting) AS firstDue, max(next_attempt_at) FILTER (WHERE waiting) AS lastDue
     FROM (SELECT from_number, scheduled, cost, next_attempt_at, state = 'waiting' AND NOT scheduled AS waiting FROM queue)
     GROUP BY from_number`,
  ).all() as NumberBacklog[];
}

/**
 * The crash-safe send queue and the callback dedupe log.
 * A queue row exists from the moment a message is written (same transaction) until its send is settled.
 * `in-flight` marks a request that may have reached Bandwidth: after a crash such rows are settled by
 * querying Bandwidth's message list, never by blindly resending. Scheduled sends wait with
 * next_attempt_at = send_at.
 * callback_events keeps one row per distinct callback (message id + type + top-level to + time), so an
 * at-least-once redelivery is recognised and ignored.
 */
export default /* sql */ `
CREATE TABLE queue (
  message_id TEXT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'in-flight')),
  priority INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  in_flight_since INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX queue_due ON queue (state, next_attempt_at);

CREATE TABLE callback_events (
  dedupe_key TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX callback_events_received ON callback_events (received_at);
`;

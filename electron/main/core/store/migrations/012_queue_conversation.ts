/**
 * The send queue keeps each job's sender number and first recipient (its conversation, see conversationOf) on the
 * row, in the queue_order index: finding due jobs skips held numbers and conversations with a send in flight by
 * reading the index alone, instead of joining every waiting row to its message and parsing its recipients (~20% of
 * the send loop's CPU under load). A message's sender and recipients never change, so the copies cannot go stale.
 * The table is rebuilt (SQLite cannot add a NOT NULL column without a default) and existing jobs filled in.
 */
export default /* sql */ `
ALTER TABLE queue RENAME TO queue_before_012;
CREATE TABLE queue (
  message_id TEXT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'in-flight')),
  priority INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  in_flight_since INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  from_number TEXT NOT NULL,
  first_recipient TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO queue (message_id, state, priority, attempts, next_attempt_at, in_flight_since, last_error, created_at, from_number, first_recipient)
  SELECT q.message_id, q.state, q.priority, q.attempts, q.next_attempt_at, q.in_flight_since, q.last_error, q.created_at,
    m.from_number, json_extract(m.to_numbers, '$[0]')
  FROM queue_before_012 q JOIN messages m ON m.id = q.message_id;
DROP TABLE queue_before_012;
CREATE INDEX queue_due ON queue (state, next_attempt_at);
CREATE INDEX queue_order ON queue (state, priority DESC, next_attempt_at, created_at, message_id, from_number, first_recipient);
`;

/**
 * The Bandwidth ids of a message's earlier attempts, superseded by the agent's retry. `messages.bandwidth_id` is the
 * current attempt's id only: NULL from the retry until the new attempt's 202 (or first callback). Late callbacks of an
 * earlier attempt are still known as the message's, so they never settle the new attempt, and crash settlement never
 * takes an earlier attempt for the new one. A message retried before this migration and not taken again yet still
 * holds its earlier attempt's id (a message waiting to go has no id of its own): that id moves here.
 */
export default /* sql */ `
CREATE TABLE superseded_attempts (
  message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  bandwidth_id TEXT NOT NULL,
  -- Looked up by Bandwidth id (a callback, crash settlement); few rows, so a message's delete may scan them.
  PRIMARY KEY (bandwidth_id, message_id)
) STRICT, WITHOUT ROWID;
INSERT INTO superseded_attempts (message_id, bandwidth_id)
  SELECT id, bandwidth_id FROM messages WHERE direction = 'out' AND status IN ('queued', 'sending') AND bandwidth_id IS NOT NULL;
UPDATE messages SET bandwidth_id = NULL WHERE direction = 'out' AND status IN ('queued', 'sending') AND bandwidth_id IS NOT NULL;
`;

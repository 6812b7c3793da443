/**
 * Each job carries what queue.status needs, so the status reads the queue alone: `cost`, what a send takes of its
 * number's rate (segments, at least one, × recipients, as the send queue charges it), and `scheduled`, whether it
 * still waits for the agent's chosen time (cleared once taken). With 20,000 waiting, joining every job to its message
 * took 40–100 ms on the main thread, the queue alone 16–33 ms (the same busy host). A message's segments and
 * recipients never change, so the copy cannot go stale.
 */
export default /* sql */ `
ALTER TABLE queue ADD COLUMN cost INTEGER NOT NULL DEFAULT 1 CHECK (cost >= 1);
ALTER TABLE queue ADD COLUMN scheduled INTEGER NOT NULL DEFAULT 0 CHECK (scheduled IN (0, 1));
UPDATE queue SET (cost, scheduled) = (
  SELECT max(1, m.segments) * json_array_length(m.to_numbers), queue.state = 'waiting' AND m.status = 'scheduled'
  FROM messages m WHERE m.id = queue.message_id);
`;

/**
 * Marks messages written out of time order: `late` is 1 when a message was written after one with a newer
 * created_at (an imported history, an inbound message that arrived late). A message in order is at least as new as
 * every message written before it, which lets search take a common term's page from its newest hits by rowid
 * instead of walking the time index (see searchMessages). Existing rows are marked from their order.
 */
export default /* sql */ `
ALTER TABLE messages ADD COLUMN late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1));
UPDATE messages SET late = 1 WHERE seq IN (
  SELECT seq FROM (
    SELECT seq, created_at < max(created_at) OVER (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS out_of_order
    FROM messages)
  WHERE out_of_order);
`;

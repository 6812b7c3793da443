/**
 * Contacts (a name and notes per number) and opt-outs per (our number, their number).
 * `threads.opted_out` (any participant opted out of this sender number) is maintained by triggers here, so the
 * opted-out view and the flag on each thread cost nothing at read time.
 */
export default /* sql */ `
CREATE TABLE contacts (
  number TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE opt_outs (
  our_number TEXT NOT NULL,
  number TEXT NOT NULL,
  opted_out_at INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('keyword', 'carrier', 'manual')),
  PRIMARY KEY (our_number, number)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER opt_outs_insert AFTER INSERT ON opt_outs BEGIN
  UPDATE threads SET opted_out = 1
  WHERE our_number = new.our_number AND id IN (SELECT thread_id FROM thread_participants WHERE number = new.number);
END;

CREATE TRIGGER opt_outs_delete AFTER DELETE ON opt_outs BEGIN
  UPDATE threads SET opted_out = EXISTS (
    SELECT 1 FROM thread_participants p JOIN opt_outs o ON o.our_number = threads.our_number AND o.number = p.number
    WHERE p.thread_id = threads.id)
  WHERE our_number = old.our_number AND id IN (SELECT thread_id FROM thread_participants WHERE number = old.number);
END;
`;

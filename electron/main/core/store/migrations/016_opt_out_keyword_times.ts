/**
 * Bandwidth delivers callbacks at least once and in no set order (REFERENCE.md §6), so a customer's STOP and START
 * must be applied in the order they were sent, not the order they arrive. `opt_out_times` keeps, per (our number,
 * their number), when the latest opt-out or opt-in that was applied happened (the keyword message's own time, or the
 * failure's for a carrier 4775): anything older changes nothing. It is a table of its own because an opt-in deletes
 * the `opt_outs` row, and the START's time must outlive it.
 * Opt-outs recorded before this migration count from when they were recorded (their arrival, a little after the
 * message was sent): an older START arriving late cannot undo them, which errs on the lawful side.
 */
export default /* sql */ `
CREATE TABLE opt_out_times (
  our_number TEXT NOT NULL,
  number TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  PRIMARY KEY (our_number, number)
) STRICT, WITHOUT ROWID;

INSERT INTO opt_out_times (our_number, number, changed_at) SELECT our_number, number, opted_out_at FROM opt_outs;
`;

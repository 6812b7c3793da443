/**
 * The queue checks opt-outs again as it takes each job (a STOP may arrive while a message waits), and one message is
 * exempt: the automatic confirmation of an opt-out, the one text an opted-out number may still get. `opt_out_exempt`
 * marks that job in the row itself, so the mark survives a restart with the job. Jobs queued before this migration are
 * not exempt: a confirmation still waiting then to a number that opted out is not sent, which errs on the lawful side.
 */
export default /* sql */ `
ALTER TABLE queue ADD COLUMN opt_out_exempt INTEGER NOT NULL DEFAULT 0 CHECK (opt_out_exempt IN (0, 1));
`;

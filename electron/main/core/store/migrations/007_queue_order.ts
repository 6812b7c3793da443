/**
 * The send queue's order as an index: due jobs are read highest priority first, then oldest due, straight off
 * this index, so taking the next few jobs stays cheap with tens of thousands waiting (queue_due alone left every
 * look sorting the whole queue: ~25 ms a look at 20,000 waiting, i.e. ~40 sends/s).
 */
export default /* sql */ `
CREATE INDEX queue_order ON queue (state, priority DESC, next_attempt_at, created_at, message_id);
`;

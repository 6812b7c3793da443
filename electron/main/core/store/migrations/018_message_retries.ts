/**
 * How many times the agent retried each message (retryMessage). A failure worth one more try only (a carrier's
 * service failure, an ambiguous outcome: REFERENCE.md §6.2) is offered Retry while this is 0 (see retryUsedUp).
 * Messages retried before this migration count as never retried: at worst they get one more Retry.
 */
export default /* sql */ `
ALTER TABLE messages ADD COLUMN retries INTEGER NOT NULL DEFAULT 0 CHECK (retries >= 0);
`;

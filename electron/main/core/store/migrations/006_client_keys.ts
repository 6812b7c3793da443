/**
 * An idempotency key per outbound message, chosen by the client: a send whose answer was lost (the connection
 * dropped) can be repeated with the same key and never creates a second message.
 */
export default /* sql */ `
ALTER TABLE messages ADD COLUMN client_key TEXT;
CREATE UNIQUE INDEX messages_client_key ON messages (client_key) WHERE client_key IS NOT NULL;
`;

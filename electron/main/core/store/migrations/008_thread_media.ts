/**
 * The media gallery of a thread (threads.media) reads only the messages that carry files, newest first: without
 * this partial index a page walks every text message of the thread to find the few with media.
 */
export default /* sql */ `
CREATE INDEX messages_thread_media ON messages (thread_id, created_at DESC, id DESC) WHERE media_count > 0;
`;

/**
 * A message's status change writes its thread row only when something on it changes: the failed or scheduled counter
 * (the message enters or leaves one of those states) or the preview's status (it is the thread's newest message).
 * Most status changes are neither (Bandwidth's 202 and the delivery receipts of all but a thread's last message), and
 * an UPDATE that matches no row writes no page: the send loop and status callbacks each dirtied a random threads page
 * per message for nothing.
 */
export default /* sql */ `
DROP TRIGGER messages_thread_status;
CREATE TRIGGER messages_thread_status AFTER UPDATE OF status ON messages WHEN old.status IS NOT new.status BEGIN
  UPDATE threads SET
    failed_count = failed_count + (new.status = 'failed') - (old.status = 'failed'),
    scheduled_count = scheduled_count + (new.status = 'scheduled') - (old.status = 'scheduled'),
    preview_status = CASE WHEN preview_message_id = new.id THEN new.status ELSE preview_status END
  WHERE id = new.thread_id
    AND (preview_message_id = new.id OR 'failed' IN (new.status, old.status) OR 'scheduled' IN (new.status, old.status));
END;
`;

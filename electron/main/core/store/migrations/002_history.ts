/**
 * Threads, their participants, messages, per-recipient deliveries and attachments.
 * `threads` is a maintained table (last activity, unread, preview, failed/scheduled counts): triggers keep it in step
 * with every insert, status change and delete of a message, so the thread list never aggregates over messages.
 * `messages.seq` is an explicit INTEGER PRIMARY KEY because the FTS index (005) refers to messages by rowid, and
 * VACUUM may renumber an implicit rowid.
 */
export default /* sql */ `
CREATE TABLE threads (
  id TEXT PRIMARY KEY,
  thread_key TEXT NOT NULL UNIQUE,
  our_number TEXT NOT NULL,
  participants TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,
  unread INTEGER NOT NULL DEFAULT 0 CHECK (unread >= 0),
  failed_count INTEGER NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
  scheduled_count INTEGER NOT NULL DEFAULT 0 CHECK (scheduled_count >= 0),
  opted_out INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
  preview_message_id TEXT,
  preview_text TEXT,
  preview_direction TEXT,
  preview_status TEXT,
  preview_has_media INTEGER
) STRICT;
CREATE INDEX threads_activity ON threads (last_activity_at DESC, id DESC);
CREATE INDEX threads_number_activity ON threads (our_number, last_activity_at DESC, id DESC);
CREATE INDEX threads_unread_activity ON threads (last_activity_at DESC, id DESC) WHERE unread > 0;
CREATE INDEX threads_failed_activity ON threads (last_activity_at DESC, id DESC) WHERE failed_count > 0;
CREATE INDEX threads_scheduled_activity ON threads (last_activity_at DESC, id DESC) WHERE scheduled_count > 0;
CREATE INDEX threads_opted_out_activity ON threads (last_activity_at DESC, id DESC) WHERE opted_out = 1;

CREATE TABLE thread_participants (
  thread_id TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  number TEXT NOT NULL,
  PRIMARY KEY (thread_id, number)
) STRICT, WITHOUT ROWID;
CREATE INDEX thread_participants_number ON thread_participants (number, thread_id);

CREATE TABLE messages (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  bandwidth_id TEXT,
  thread_id TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  from_number TEXT NOT NULL,
  to_numbers TEXT NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'queued', 'sending', 'accepted', 'sent', 'delivered', 'failed', 'no-receipt', 'received')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  send_at INTEGER,
  priority TEXT NOT NULL DEFAULT 'default' CHECK (priority IN ('default', 'high')),
  tag TEXT,
  segments INTEGER NOT NULL DEFAULT 1,
  encoding TEXT NOT NULL DEFAULT 'GSM-7' CHECK (encoding IN ('GSM-7', 'UCS-2')),
  error_code INTEGER,
  error_detail TEXT,
  media_count INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX messages_thread_time ON messages (thread_id, created_at DESC, id DESC);
CREATE INDEX messages_time ON messages (created_at DESC, id DESC);
CREATE INDEX messages_bandwidth_id ON messages (bandwidth_id) WHERE bandwidth_id IS NOT NULL;
CREATE INDEX messages_awaiting_receipt ON messages (updated_at) WHERE status IN ('accepted', 'sent', 'no-receipt');

CREATE TABLE deliveries (
  message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  recipient TEXT NOT NULL,
  status TEXT NOT NULL,
  error_code INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, recipient)
) STRICT, WITHOUT ROWID;

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  message_id TEXT REFERENCES messages (id) ON DELETE SET NULL,
  position INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL DEFAULT 0,
  sha256 TEXT,
  path TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'ready', 'failed')),
  remote_url TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_message ON attachments (message_id, position);

CREATE TRIGGER messages_thread_insert AFTER INSERT ON messages BEGIN
  UPDATE threads SET
    unread = unread + (new.direction = 'in'),
    failed_count = failed_count + (new.status = 'failed'),
    scheduled_count = scheduled_count + (new.status = 'scheduled')
  WHERE id = new.thread_id;
  UPDATE threads SET
    last_activity_at = new.created_at,
    preview_message_id = new.id,
    preview_text = substr(new.text, 1, 200),
    preview_direction = new.direction,
    preview_status = new.status,
    preview_has_media = new.media_count > 0
  WHERE id = new.thread_id
    AND (preview_message_id IS NULL OR (new.created_at, new.id) > (last_activity_at, preview_message_id));
END;

CREATE TRIGGER messages_thread_status AFTER UPDATE OF status ON messages WHEN old.status IS NOT new.status BEGIN
  UPDATE threads SET
    failed_count = failed_count + (new.status = 'failed') - (old.status = 'failed'),
    scheduled_count = scheduled_count + (new.status = 'scheduled') - (old.status = 'scheduled'),
    preview_status = CASE WHEN preview_message_id = new.id THEN new.status ELSE preview_status END
  WHERE id = new.thread_id;
END;

CREATE TRIGGER messages_thread_media AFTER UPDATE OF media_count ON messages WHEN old.media_count IS NOT new.media_count BEGIN
  UPDATE threads SET preview_has_media = new.media_count > 0 WHERE id = new.thread_id AND preview_message_id = new.id;
END;

CREATE TRIGGER messages_thread_delete AFTER DELETE ON messages BEGIN
  UPDATE threads SET
    failed_count = failed_count - (old.status = 'failed'),
    scheduled_count = scheduled_count - (old.status = 'scheduled')
  WHERE id = old.thread_id;
  UPDATE threads SET
    last_activity_at = coalesce((SELECT created_at FROM messages WHERE thread_id = old.thread_id ORDER BY created_at DESC, id DESC LIMIT 1), last_activity_at),
    (preview_message_id, preview_text, preview_direction, preview_status, preview_has_media) = (
      SELECT id, substr(text, 1, 200), direction, status, media_count > 0
      FROM messages WHERE thread_id = old.thread_id ORDER BY created_at DESC, id DESC LIMIT 1)
  WHERE id = old.thread_id AND preview_message_id = old.id;
END;
`;

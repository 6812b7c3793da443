/**
 * New messages are indexed for search in batches, not one by one: the per-row trigger made every commit write a new
 * FTS5 segment and rewrite the index's structure record, about 0.3 ms and 6 pages per message in the small commits
 * of callback ingestion, where a batch costs a few microseconds per message. `search_index_state.indexed_seq` is
 * the last rowid in the index; indexNewMessages (store/search.ts) indexes the rest, before every search and every
 * second. Deletes and text edits reach the index only for rows it holds. A delete lowers the mark to the newest
 * row left, because a new message may take a deleted rowid (messages.seq is not AUTOINCREMENT).
 */
export default /* sql */ `
CREATE TABLE search_index_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_seq INTEGER NOT NULL
) STRICT;
INSERT INTO search_index_state (id, indexed_seq) VALUES (1, (SELECT coalesce(max(seq), 0) FROM messages));

DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text)
    SELECT 'delete', old.seq, old.text WHERE old.seq <= (SELECT indexed_seq FROM search_index_state);
  UPDATE search_index_state SET indexed_seq = (SELECT coalesce(max(seq), 0) FROM messages)
    WHERE indexed_seq > (SELECT coalesce(max(seq), 0) FROM messages);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages
WHEN old.text IS NOT new.text AND old.seq <= (SELECT indexed_seq FROM search_index_state) BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
  INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
END;
`;

/**
 * Full-text search over message text: an external-content FTS5 index on messages (no second copy of the text),
 * kept in sync by triggers created here. The update trigger fires only when the text really changes, so status
 * updates never touch the index. The final 'rebuild' indexes any messages written before this migration.
 */
export default /* sql */ `
CREATE VIRTUAL TABLE messages_fts USING fts5 (
  text,
  content = 'messages',
  content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages WHEN old.text IS NOT new.text BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
  INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text);
END;

INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
`;

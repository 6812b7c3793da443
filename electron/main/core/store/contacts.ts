import type { Contact } from '../../../../shared/ipc/schemas';
import type { Db } from './database';
import { stmt } from './database';

interface ContactRow {
  number: string;
  name: string;
  notes: string;
  updated_at: number;
}

const toContact = (row: ContactRow): Contact => ({ number: row.number, name: row.name, notes: row.notes, updatedAt: row.updated_at });

export interface ContactInput {
  number: string;
  name: string;
  notes?: string;
}

function writeContact(db: Db, input: ContactInput, at: number): void {
  stmt(
    db,
    `INSERT INTO contacts (number, name, notes, updated_at) VALUES (?, ?, coalesce(?, ''), ?)
     ON CONFLICT (number) DO UPDATE SET name = excluded.name, notes = coalesce(?, notes), updated_at = excluded.updated_at`,
  ).run(input.number, input.name, input.notes ?? null, at, input.notes ?? null);
}

/** Creates or renames a contact; notes left undefined keep what was there. */
export function upsertContact(db: Db, input: ContactInput, at: number): Contact {
  writeContact(db, input, at);
  return getContact(db, input.number)!;
}

/** Upserts many contacts (an import) in one transaction: all are written or, on any failure, none. */
export function upsertContacts(db: Db, inputs: readonly ContactInput[], at: number): void {
  db.transaction(() => {
    for (const input of inputs) writeContact(db, input, at);
  })();
}

export function getContact(db: Db, number: string): Contact | null {
  const row = stmt(db, 'SELECT number, name, notes, updated_at FROM contacts WHERE number = ?').get(number) as ContactRow | undefined;
  return row ? toContact(row) : null;
}

/** All contacts by name, or those whose name or number contains `query` (case-insensitive). */
export function listContacts(db: Db, query?: string): Contact[] {
  const rows = (
    query
      ? stmt(
          db,
          `SELECT number, name, notes, updated_at FROM contacts WHERE instr(lower(name), lower(?)) > 0 OR instr(number, ?) > 0
           ORDER BY name COLLATE NOCASE, number`,
        ).all(query, query)
      : stmt(db, 'SELECT number, name, notes, updated_at FROM contacts ORDER BY name COLLATE NOCASE, number').all()
  ) as ContactRow[];
  return rows.map(toContact);
}

export function deleteContact(db: Db, number: string): boolean {
  return stmt(db, 'DELETE FROM contacts WHERE number = ?').run(number).changes === 1;
}

import Papa from 'papaparse';
import { methods } from '../../../../shared/ipc/contract';
import type { Contact } from '../../../../shared/ipc/schemas';
import type { Clock } from '../platform/ports';
import type { EventBus, Handlers } from '../rpc/rpcServer';
import type { ContactInput } from '../store/contacts';
import { deleteContact, listContacts, upsertContact, upsertContacts } from '../store/contacts';
import type { Db } from '../store/database';
import { getThreadsByIds, threadIdsWithParticipant } from '../store/threads';
import { fromCsvCell, toCsv } from './exports';

export interface ImportProblem {
  /** The row as a spreadsheet numbers it: the header is row 1, and a quoted value with line breaks is one row. */
  line: number;
  message: string;
}

export interface ParsedContacts {
  /** One per number: when a number appears on several rows, the last one. */
  contacts: ContactInput[];
  /** Sorted by line. */
  problems: ImportProblem[];
}

type Column = keyof ContactInput;
const POSITIONAL: Column[] = ['number', 'name', 'notes'];
const HEADER_NAMES = new Map<string, Column>([
  ['number', 'number'],
  ['phone', 'number'],
  ['phone number', 'number'],
  ['name', 'name'],
  ['notes', 'notes'],
  ['note', 'notes'],
]);

const QUOTE_PROBLEMS: Record<string, string> = {
  MissingQuotes: 'a quoted value is never closed (a " is missing), so this row and everything after it was not read',
  InvalidQuotes: 'a quoted value has text after its closing "',
};

/** The same rules as adding one contact by hand (contacts.upsert): E.164 through toE164, a name, length limits. */
const contactRow = methods['contacts.upsert'].input;

function checkRow(cells: Partial<Record<Column, string>>): ContactInput | string {
  const number = cells.number?.trim();
  if (!number) return 'missing phone number';
  if (!cells.name?.trim()) return `missing name for ${number}`;
  const parsed = contactRow.safeParse({ ...cells, number });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // The phone number's message already names the value ("555-12" is not a valid phone number).
  return issue.path[0] === 'number' ? issue.message : `${String(issue.path[0])}: ${issue.message}`;
}

/**
 * Reads a contacts CSV: a header row is optional (recognised by any of number/phone, name, notes, in any order and
 * case; other columns are ignored), else the columns are number,name,notes. A BOM, CRLF, quoted commas and line
 * breaks are fine; blank rows are skipped. Bad rows become problems and the good ones are kept. A number that
 * appears twice is taken from its last row, and each earlier row is reported as replaced, so that every non-blank
 * row is either imported or reported.
 */
export function parseContactsCsv(csv: string): ParsedContacts {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { delimiter: ',' });
  const badQuotes = new Map<number, string>();
  for (const error of parsed.errors) {
    if (error.row !== undefined && !badQuotes.has(error.row)) badQuotes.set(error.row, QUOTE_PROBLEMS[error.code] ?? error.message);
  }
  const rows = parsed.data.map((row) => row.map(fromCsvCell));

  const headerColumns = (rows[0] ?? []).map((cell) => HEADER_NAMES.get(cell.trim().toLowerCase()));
  const hasHeader = headerColumns.some(Boolean);
  if (hasHeader && !(headerColumns.includes('number') && headerColumns.includes('name'))) {
    return { contacts: [], problems: [{ line: 1, message: 'the header row needs a "number" (or "phone") column and a "name" column' }] };
  }
  const columns = hasHeader ? headerColumns : POSITIONAL;

  const problems: ImportProblem[] = [];
  const byNumber = new Map<string, { line: number; contact: ContactInput }>();
  for (let i = hasHeader ? 1 : 0; i < rows.length; i++) {
    const line = i + 1;
    const cells = rows[i]!;
    const quoteProblem = badQuotes.get(i);
    if (quoteProblem) {
      problems.push({ line, message: quoteProblem });
      continue;
    }
    if (cells.every((cell) => cell.trim() === '')) continue;
    const fields: Partial<Record<Column, string>> = {};
    columns.forEach((column, j) => {
      // A repeated header column: the first one counts. A missing notes cell keeps the stored notes.
      if (column && fields[column] === undefined && cells[j] !== undefined) fields[column] = cells[j];
    });
    const checked = checkRow(fields);
    if (typeof checked === 'string') {
      problems.push({ line, message: checked });
      continue;
    }
    const earlier = byNumber.get(checked.number);
    if (earlier) problems.push({ line: earlier.line, message: `not imported: ${checked.number} appears again on line ${line}, which replaces this row` });
    byNumber.set(checked.number, { line, contact: checked });
  }
  problems.sort((a, b) => a.line - b.line);
  return { contacts: [...byNumber.values()].map((v) => v.contact), problems };
}

/** number,name,notes: reads back through parseContactsCsv unchanged. */
export const contactsToCsv = (contacts: readonly Contact[]): string => toCsv([POSITIONAL, ...contacts.map((c) => [c.number, c.name, c.notes])]);

type ContactMethods = 'contacts.list' | 'contacts.upsert' | 'contacts.delete' | 'contacts.import' | 'contacts.export';

export function createContactHandlers(db: Db, clock: Clock, bus: EventBus): Pick<Handlers, ContactMethods> {
  // A contact's name shows in every thread it takes part in: the thread list and headers redraw from thread.updated.
  const publishThreadsOf = (number: string) => {
    for (const thread of getThreadsByIds(db, threadIdsWithParticipant(db, number)).values()) bus.emit('thread.updated', { thread });
  };
  return {
    'contacts.list': ({ query }) => ({ contacts: listContacts(db, query?.trim() || undefined) }),
    'contacts.upsert': (input) => {
      const contact = upsertContact(db, input, clock.now());
      publishThreadsOf(contact.number);
      return { contact };
    },
    // Idempotent: the contact is gone either way (another window may have deleted it first).
    'contacts.delete': ({ number }) => {
      if (deleteContact(db, number)) publishThreadsOf(number);
      return {};
    },
    'contacts.import': ({ csv }) => {
      const { contacts, problems } = parseContactsCsv(csv);
      upsertContacts(db, contacts, clock.now());
      return { imported: contacts.length, errors: problems };
    },
    'contacts.export': () => ({ csv: contactsToCsv(listContacts(db)) }),
  };
}

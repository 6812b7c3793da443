import Papa from 'papaparse';
import type { MethodOutput } from '../../../../shared/ipc/contract';
import { AppError } from '../../../../shared/ipc/errors';
import type { Message } from '../../../../shared/ipc/schemas';
import type { Clock } from '../platform/ports';
import type { Handlers } from '../rpc/rpcServer';
import type { Db } from '../store/database';
import { listMessages } from '../store/messages';
import type { SearchOptions } from '../store/search';
import { searchMessages } from '../store/search';
import { getThread } from '../store/threads';

export type ExportFormat = 'csv' | 'json';
export type ExportFile = MethodOutput<'threads.export'>;

/**
 * Spreadsheets (Excel, LibreOffice, Google Sheets) evaluate a cell that starts with = + - @ (or tab / CR, which
 * some strip first) as a formula, and exported cells hold what customers texted us: `=HYPERLINK(...)` or a DDE
 * payload would run when an agent opens the file. A leading apostrophe makes the cell text (spreadsheets hide
 * it), at the cost of a visible `'` in plain-text readers; our own import removes it again (`fromCsvCell`).
 * Our own rule rather than papaparse's `true`, whose pattern misses values with a line break (`.` stops at \n).
 * A value that already starts with apostrophes before such a character gets one more, so import is exact.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'(?='*[=+\-@\t\r])/;

/**
 * RFC 4180 CSV (CRLF, fields quoted only when needed, quotes doubled), formula-injection safe. The BOM is how
 * Excel knows the file is UTF-8 (without it "café" and emoji come out garbled); our import skips it.
 */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${Papa.unparse(rows as string[][], { escapeFormulae: FORMULA_START, newline: '\r\n' })}\r\n`;
}

/** The inverse of the export's formula guard for one cell, so that exported files import back unchanged. */
export const fromCsvCell = (cell: string): string => cell.replace(ESCAPED_FORMULA, '');

const PAGE = 500;
const MESSAGE_COLUMNS = ['time', 'direction', 'from', 'to', 'text', 'status', 'error code', 'attachments'];

const messageCells = (m: Message): string[] => [
  new Date(m.createdAt).toISOString(),
  m.direction === 'in' ? 'inbound' : 'outbound',
  m.from,
  m.to.join(';'),
  m.text,
  m.status,
  m.errorCode === null ? '' : String(m.errorCode),
  m.attachments.map((a) => a.name).join(';'),
];

/** `switchboard-<what>-<YYYY-MM-DD>.<ext>` with only [a-z0-9-] in <what>: safe on every file system. */
function filename(what: string, at: number, format: ExportFormat): string {
  const slug = what
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 80)
    .replace(/^-+|-+$/g, '');
  // UTC: the core has no time-zone port, and a file name only needs to be roughly dated.
  return `switchboard-${slug}-${new Date(at).toISOString().slice(0, 10)}.${format}`;
}

function toFile(what: string, at: number, format: ExportFormat, header: object, messages: readonly Message[]): ExportFile {
  return format === 'csv'
    ? { filename: filename(what, at, format), contentType: 'text/csv; charset=utf-8', content: toCsv([MESSAGE_COLUMNS, ...messages.map(messageCells)]) }
    : {
        filename: filename(what, at, format),
        contentType: 'application/json',
        content: `${JSON.stringify({ exportedAt: new Date(at).toISOString(), ...header, messages }, null, 2)}\n`,
      };
}

/** Every message of a thread, oldest first. */
export function exportThread(db: Db, threadId: string, format: ExportFormat, at: number): ExportFile {
  const thread = getThread(db, threadId);
  if (!thread) throw new AppError('NOT_FOUND', 'This conversation no longer exists');
  // The keyset API starts at the newest page: walk back through older pages, then put them in order.
  const pages: Message[][] = [];
  let page = listMessages(db, { threadId, limit: PAGE });
  pages.push(page.messages);
  while (page.olderCursor) {
    page = listMessages(db, { threadId, limit: PAGE, before: page.olderCursor });
    pages.push(page.messages);
  }
  const { ourNumber, participants, names } = thread;
  return toFile(participants.join(' '), at, format, { thread: { ourNumber, participants, names } }, pages.reverse().flat());
}

/** Every result of a search, newest first as in the search view; `limit` and `before` are ignored. */
export function exportSearch(db: Db, options: SearchOptions, format: ExportFormat, at: number): ExportFile {
  const { limit: _limit, before: _before, ...search } = options;
  const messages: Message[] = [];
  let cursor: string | null = null;
  do {
    const page: ReturnType<typeof searchMessages> = searchMessages(db, { ...search, limit: PAGE, ...(cursor === null ? {} : { before: cursor }) });
    messages.push(...page.results.map((r) => r.message));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return toFile(`search ${search.query}`, at, format, { search }, messages);
}

export function createExportHandlers(db: Db, clock: Clock): Pick<Handlers, 'threads.export' | 'search.export'> {
  return {
    'threads.export': ({ threadId, format }) => exportThread(db, threadId, format, clock.now()),
    'search.export': ({ format, ...options }) => exportSearch(db, options, format, clock.now()),
  };
}

import Papa from 'papaparse';
import { z } from 'zod';
import { beforeEach, describe, expect, it } from 'vitest';
import { methods } from '../../../../shared/ipc/contract';
import { AppError } from '../../../../shared/ipc/errors';
import { message as messageSchema } from '../../../../shared/ipc/schemas';
import type { Message } from '../../../../shared/ipc/schemas';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { Clock } from '../platform/ports';
import { createAttachment } from '../store/attachments';
import { upsertContact } from '../store/contacts';
import type { Db } from '../store/database';
import { advanceMessageStatus, insertMessage, listMessages } from '../store/messages';
import { seedHistory } from '../store/seed';
import { upsertThread } from '../store/threads';
import { createExportHandlers, exportSearch, exportThread, fromCsvCell, toCsv } from './exports';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';

const AT = Date.UTC(2026, 10, 26, 12);
const clock: Clock = { now: () => AT, setTimeout: () => ({ cancel() {} }) };
const OUR = '+19195550100';
const ALICE = '+19195551234';
const BOB = '+19195559999';

const temp = useTempDatabase('switchboard-exports-');
let db: Db;
beforeEach(() => (db = temp.db));

/** The CSV as a spreadsheet reads it: BOM off, rows of cells, the trailing line end not a row. */
const readCsv = (csv: string): string[][] => {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv.endsWith('\r\n')).toBe(true);
  return Papa.parse<string[]>(csv.slice(1, -2), { delimiter: ',' }).data;
};

const exportJson = z.object({ exportedAt: z.string(), messages: z.array(messageSchema) }).loose();

/** A small conversation with Alice: a link that is a formula, an attachment, a failure with its code. */
function conversation(): { threadId: string; messages: Message[] } {
  upsertContact(db, { number: ALICE, name: 'Alice' }, 1);
  const thread = upsertThread(db, threadKey(OUR, [ALICE]), 1000);
  const photo = createAttachment(db, { name: 'receipt.jpg', contentType: 'image/jpeg', size: 3, sha256: 'abc', path: 'media/a', state: 'ready', createdAt: 1000 });
  const base = { threadId: thread.id, segments: 1, encoding: 'GSM-7' as const };
  const hello = insertMessage(db, { ...base, direction: 'in', from: ALICE, to: [OUR], text: 'Hi, my "refund"?\nThanks', status: 'received', createdAt: Date.UTC(2026, 0, 1, 9), attachmentIds: [photo.id] });
  const reply = insertMessage(db, { ...base, direction: 'out', from: OUR, to: [ALICE], text: 'Refund sent', status: 'queued', createdAt: Date.UTC(2026, 0, 1, 10) });
  advanceMessageStatus(db, reply.id, { status: 'failed', at: Date.UTC(2026, 0, 1, 10, 1), errorCode: 4720 });
  const evil = insertMessage(db, { ...base, direction: 'in', from: ALICE, to: [OUR], text: '=HYPERLINK("http://evil.example","refund")', status: 'received', createdAt: Date.UTC(2026, 0, 1, 11) });
  return { threadId: thread.id, messages: listMessages(db, { threadId: thread.id }).messages.filter((m) => [hello.id, reply.id, evil.id].includes(m.id)) };
}

describe('toCsv', () => {
  it('quotes only what needs quoting, doubles quotes, ends lines with CRLF and escapes formulas reversibly', () => {
    const cells = ['plain', 'a,b', 'say "hi"', 'two\nlines', '=1+1', '+1 919', '-5', '@A1', '\tx', "'=x", "'plain", ' pad '];
    const csv = toCsv([['h'], cells]);
    expect(csv).toBe(`\uFEFFh\r\nplain,"a,b","say ""hi""","two\nlines","'=1+1","'+1 919","'-5","'@A1","'\tx","''=x",'plain," pad "\r\n`);
    expect(readCsv(csv)[1]!.map(fromCsvCell)).toEqual(cells);
  });
});

describe('exportThread', () => {
  it('writes every message as CSV, oldest first, with the columns a spreadsheet user needs', () => {
    const { threadId } = conversation();
    const file = exportThread(db, threadId, 'csv', AT);
    expect(file.filename).toBe('switchboard-19195551234-2026-11-26.csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    expect(readCsv(file.content)).toEqual([
      ['time', 'direction', 'from', 'to', 'text', 'status', 'error code', 'attachments'],
      ['2026-01-01T09:00:00.000Z', 'inbound', `'${ALICE}`, `'${OUR}`, 'Hi, my "refund"?\nThanks', 'received', '', 'receipt.jpg'],
      ['2026-01-01T10:00:00.000Z', 'outbound', `'${OUR}`, `'${ALICE}`, 'Refund sent', 'failed', '4720', ''],
      ['2026-01-01T11:00:00.000Z', 'inbound', `'${ALICE}`, `'${OUR}`, `'=HYPERLINK("http://evil.example","refund")`, 'received', '', ''],
    ]);
  });

  it('writes JSON: the messages as the app has them, under a header naming the conversation', () => {
    const { threadId, messages } = conversation();
    const file = exportThread(db, threadId, 'json', AT);
    expect(file.filename).toBe('switchboard-19195551234-2026-11-26.json');
    expect(file.contentType).toBe('application/json');
    const parsed = exportJson.parse(JSON.parse(file.content));
    expect(parsed).toEqual({
      exportedAt: '2026-11-26T12:00:00.000Z',
      thread: { ourNumber: OUR, participants: [ALICE], names: { [ALICE]: 'Alice' } },
      messages,
    });
  });

  it('pages through a long thread and keeps every message once, in order', () => {
    const { threadIds, messageCount } = seedHistory(db, { threads: 1, messagesPerThread: 1234 });
    const rows = readCsv(exportThread(db, threadIds[0]!, 'csv', AT).content).slice(1);
    expect(rows).toHaveLength(messageCount);
    const times = rows.map((r) => r[0]!);
    expect(times).toEqual([...times].sort());
    expect(new Set(times).size).toBe(messageCount);
    const json = exportJson.parse(JSON.parse(exportThread(db, threadIds[0]!, 'json', AT).content));
    expect(json.messages.map((m) => m.createdAt)).toEqual(json.messages.map((m) => m.createdAt).sort((a, b) => a - b));
    expect(json.messages).toHaveLength(messageCount);
  });

  it('names a group by all participants and refuses an unknown thread', () => {
    const group = upsertThread(db, threadKey(OUR, [BOB, ALICE]), 1);
    insertMessage(db, { threadId: group.id, direction: 'out', from: OUR, to: [ALICE, BOB], text: 'hi all', status: 'queued', createdAt: 2, segments: 1, encoding: 'GSM-7' });
    const file = exportThread(db, group.id, 'csv', AT);
    expect(file.filename).toBe('switchboard-19195551234-19195559999-2026-11-26.csv');
    expect(readCsv(file.content)[1]![3]).toBe(`'${ALICE};${BOB}`);
    expect(() => exportThread(db, 'nope', 'csv', AT)).toThrow(AppError);
  });
});

describe('exportSearch', () => {
  it('exports every result, newest first, ignoring the page size and cursor of the search view', () => {
    conversation();
    const file = exportSearch(db, { query: 'refund', limit: 1, before: undefined }, 'csv', AT);
    expect(file.filename).toBe('switchboard-search-refund-2026-11-26.csv');
    expect(readCsv(file.content).slice(1).map((r) => r[4])).toEqual([`'=HYPERLINK("http://evil.example","refund")`, 'Refund sent', 'Hi, my "refund"?\nThanks']);
  });

  it('pages through more results than one page and applies the filters', () => {
    seedHistory(db, { threads: 3, messagesPerThread: 400 });
    const file = exportSearch(db, { query: '', direction: 'in' }, 'json', AT);
    const parsed = exportJson.parse(JSON.parse(file.content));
    expect(parsed.search).toEqual({ query: '', direction: 'in' });
    expect(parsed.messages).toHaveLength(600);
    expect(new Set(parsed.messages.map((m) => m.id)).size).toBe(600);
    expect(parsed.messages.every((m) => m.direction === 'in')).toBe(true);
    expect(parsed.messages.map((m) => m.createdAt)).toEqual(parsed.messages.map((m) => m.createdAt).sort((a, b) => b - a));
    expect(file.filename).toBe('switchboard-search-2026-11-26.json');
  });

  it('keeps only safe characters of the query in the file name', () => {
    expect(exportSearch(db, { query: '../../etc/passwd "Café Noir"*' }, 'csv', AT).filename).toBe('switchboard-search-etc-passwd-cafe-noir-2026-11-26.csv');
  });
});

describe('createExportHandlers', () => {
  it('serves threads.export and search.export with parsed contract input', async () => {
    const { threadId } = conversation();
    const handlers = createExportHandlers(db, clock);
    const thread = await handlers['threads.export'](methods['threads.export'].input.parse({ threadId, format: 'csv' }));
    expect(thread).toEqual(exportThread(db, threadId, 'csv', AT));
    const search = await handlers['search.export'](methods['search.export'].input.parse({ query: 'refund', number: '(919) 555-1234', format: 'json', limit: 1 }));
    expect(methods['search.export'].output.parse(search)).toEqual(search);
    expect(JSON.parse(search.content)).toMatchObject({ search: { query: 'refund', number: ALICE } });
    expect(JSON.parse(search.content).messages).toHaveLength(3);
  });
});

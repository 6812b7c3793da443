import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../shared/ipc/contract';
import { methods } from '../../../../shared/ipc/contract';
import { threadKey } from '../../../../shared/domain/threadKey';
import type { Clock } from '../platform/ports';
import type { Db } from '../store/database';
import { openDatabase } from '../store/database';
import { getContact, listContacts, upsertContact } from '../store/contacts';
import { upsertThread } from '../store/threads';
import { createContactHandlers, parseContactsCsv } from './contacts';

const AT = Date.UTC(2026, 10, 26, 12);
const clock: Clock = { now: () => AT, setTimeout: () => ({ cancel() {} }) };
const ALICE = '+19195551234';
const BOB = '+19195559999';
const CAROL = '+14155550123';

let dir: string;
let db: Db;
let handlers: ReturnType<typeof createContactHandlers>;
let threadUpdates: EventPayload<'thread.updated'>[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-contacts-'));
  db = openDatabase(dir);
  threadUpdates = [];
  handlers = createContactHandlers(db, clock, { emit: (event, payload) => void (event === 'thread.updated' && threadUpdates.push(payload as EventPayload<'thread.updated'>)) });
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Through the contract, as the RPC server would call it. */
const importCsv = async (csv: string) => handlers['contacts.import'](methods['contacts.import'].input.parse({ csv }));
const exportCsv = async () => (await handlers['contacts.export']({})).csv;
const byNumber = () => Object.fromEntries(listContacts(db).map((c) => [c.number, { name: c.name, notes: c.notes }]));

describe('contacts.import', () => {
  it('recognises a header in any order and case, normalises numbers and ignores unknown columns', async () => {
    const result = await importCsv('Name,E-mail,NOTES,Phone\nAlice,a@x.com,VIP,(919) 555-1234\nBob,,,919.555.9999\n');
    expect(result).toEqual({ imported: 2, errors: [] });
    expect(byNumber()).toEqual({ [ALICE]: { name: 'Alice', notes: 'VIP' }, [BOB]: { name: 'Bob', notes: '' } });
    expect(getContact(db, ALICE)?.updatedAt).toBe(AT);
  });

  it('reads number,name,notes without a header, with a BOM and CRLF line ends', async () => {
    const result = await importCsv('\uFEFF919-555-1234,Alice,VIP\r\n+1 415 555 0123,Carol\r\n');
    expect(result).toEqual({ imported: 2, errors: [] });
    expect(byNumber()).toEqual({ [ALICE]: { name: 'Alice', notes: 'VIP' }, [CAROL]: { name: 'Carol', notes: '' } });
  });

  it('keeps commas, quotes and line breaks inside quoted values', async () => {
    const result = await importCsv('number,name,notes\r\n9195551234,"Smith, Alice","said ""hi""\r\ncall after 5, not before"\r\n');
    expect(result).toEqual({ imported: 1, errors: [] });
    expect(getContact(db, ALICE)).toMatchObject({ name: 'Smith, Alice', notes: 'said "hi"\r\ncall after 5, not before' });
  });

  it('reports bad rows by spreadsheet row and keeps the good ones', async () => {
    const csv = [
      'number,name,notes', // row 1
      '9195551234,Alice,"two', // rows 2: one row in a spreadsheet although it spans two lines
      'lines"',
      '555-12,Mallory,', // row 3
      '', // row 4: blank, skipped
      '4155550123,,no name', // row 5
      ',Nobody,', // row 6
      `9195559999,${'x'.repeat(201)},`, // row 7
      '9195559999,Bob,fine', // row 8
    ].join('\n');
    const result = await importCsv(csv);
    expect(result.errors).toEqual([
      { line: 3, message: '"555-12" is not a valid phone number' },
      { line: 5, message: 'missing name for 4155550123' },
      { line: 6, message: 'missing phone number' },
      { line: 7, message: expect.stringMatching(/^name: .*200/) },
    ]);
    expect(result.imported).toBe(2);
    expect(byNumber()).toEqual({ [ALICE]: { name: 'Alice', notes: 'two\nlines' }, [BOB]: { name: 'Bob', notes: 'fine' } });
  });

  it('takes a repeated number from its last row and reports the earlier row as replaced', async () => {
    const result = await importCsv('9195551234,Alice\n9195559999,Bob\n(919) 555-1234,Alice Smith\n');
    expect(result).toEqual({
      imported: 2,
      errors: [{ line: 1, message: `not imported: ${ALICE} appears again on line 3, which replaces this row` }],
    });
    expect(byNumber()).toEqual({ [ALICE]: { name: 'Alice Smith', notes: '' }, [BOB]: { name: 'Bob', notes: '' } });
  });

  it('keeps stored notes when the file has no notes for a row, and clears them when the cell is empty', async () => {
    upsertContact(db, { number: ALICE, name: 'Alice', notes: 'VIP' }, 1);
    upsertContact(db, { number: BOB, name: 'Bob', notes: 'old' }, 1);
    await importCsv('9195551234,Alice L.\n9195559999,Bob,\n');
    expect(byNumber()).toEqual({ [ALICE]: { name: 'Alice L.', notes: 'VIP' }, [BOB]: { name: 'Bob', notes: '' } });
  });

  it('refuses a header without a number or a name column, and stores nothing', async () => {
    expect(await importCsv('name,email\nAlice,a@x.com\n')).toEqual({
      imported: 0,
      errors: [{ line: 1, message: 'the header row needs a "number" (or "phone") column and a "name" column' }],
    });
    expect(listContacts(db)).toEqual([]);
  });

  it('reports a quote that is never closed and keeps the rows before it', async () => {
    const result = await importCsv('9195551234,Alice\n9195559999,"Bob\n4155550123,Carol\n');
    expect(result.imported).toBe(1);
    expect(result.errors).toEqual([{ line: 2, message: expect.stringContaining('never closed') }]);
    expect(Object.keys(byNumber())).toEqual([ALICE]);
  });

  it('imports nothing and reports nothing for an empty file or a header alone', async () => {
    expect(await importCsv('')).toEqual({ imported: 0, errors: [] });
    expect(await importCsv('number,name,notes\r\n')).toEqual({ imported: 0, errors: [] });
  });
});

describe('contacts.export', () => {
  it('writes number,name,notes as RFC 4180 with a BOM, and guards cells against formula injection', async () => {
    upsertContact(db, { number: ALICE, name: 'Smith, "Al"', notes: 'line 1\nline 2' }, 1);
    upsertContact(db, { number: BOB, name: '=HYPERLINK("http://evil.example","click")', notes: '@SUM(A1)' }, 1);
    upsertContact(db, { number: CAROL, name: '-2+3', notes: '=1\n+cmd' }, 1);
    expect(await exportCsv()).toBe(
      '\uFEFFnumber,name,notes\r\n' +
        `"'${CAROL}","'-2+3","'=1\n+cmd"\r\n` +
        `"'${BOB}","'=HYPERLINK(""http://evil.example"",""click"")","'@SUM(A1)"\r\n` +
        `"'${ALICE}","Smith, ""Al""","line 1\nline 2"\r\n`,
    );
  });

  it('round-trips through import unchanged', async () => {
    const originals = [
      { number: ALICE, name: 'Smith, "Al"', notes: 'line 1\r\nline 2' },
      { number: BOB, name: '=cmd|\' /C calc\'!A0', notes: "'quoted' and café ☕" },
      { number: CAROL, name: "'=already escaped", notes: '  padded  ' },
      { number: '+442071838750', name: '@home', notes: '-' },
    ];
    for (const c of originals) upsertContact(db, c, 1);
    const before = listContacts(db).map(({ number, name, notes }) => ({ number, name, notes }));
    const csv = await exportCsv();
    for (const c of originals) await handlers['contacts.delete']({ number: c.number });
    expect(listContacts(db)).toEqual([]);
    expect(await importCsv(csv)).toEqual({ imported: 4, errors: [] });
    expect(listContacts(db).map(({ number, name, notes }) => ({ number, name, notes }))).toEqual(before);
    expect(parseContactsCsv(await exportCsv()).contacts).toEqual(before);
  });
});

describe('contacts handlers', () => {
  it('upsert, list with a query, and delete (idempotent)', async () => {
    const input = methods['contacts.upsert'].input.parse({ number: '(919) 555-1234', name: ' Alice ', notes: 'VIP' });
    expect(await handlers['contacts.upsert'](input)).toEqual({ contact: { number: ALICE, name: 'Alice', notes: 'VIP', updatedAt: AT } });
    await handlers['contacts.upsert']({ number: BOB, name: 'Bob' });
    expect((await handlers['contacts.list']({})).contacts.map((c) => c.name)).toEqual(['Alice', 'Bob']);
    expect((await handlers['contacts.list']({ query: ' ali ' })).contacts.map((c) => c.name)).toEqual(['Alice']);
    expect(await handlers['contacts.delete']({ number: ALICE })).toEqual({});
    expect(await handlers['contacts.delete']({ number: ALICE })).toEqual({});
    expect(listContacts(db).map((c) => c.number)).toEqual([BOB]);
  });

  it('tells every thread the number takes part in (1:1 and group) about a new name, and about a deletion', async () => {
    const ours = '+19195550100';
    const solo = upsertThread(db, threadKey(ours, [ALICE]), AT);
    const group = upsertThread(db, threadKey(ours, [ALICE, BOB]), AT);
    upsertThread(db, threadKey(ours, [CAROL]), AT);
    await handlers['contacts.upsert']({ number: ALICE, name: 'Alice' });
    expect(threadUpdates.map((u) => [u.thread.id, u.thread.names[ALICE]]).sort()).toEqual([[solo.id, 'Alice'], [group.id, 'Alice']].sort());
    threadUpdates = [];
    await handlers['contacts.delete']({ number: ALICE });
    expect(threadUpdates.map((u) => [u.thread.id, u.thread.names[ALICE]]).sort()).toEqual([[solo.id, undefined], [group.id, undefined]].sort());
    threadUpdates = [];
    await handlers['contacts.delete']({ number: ALICE });
    expect(threadUpdates).toEqual([]);
  });
});

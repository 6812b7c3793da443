import { describe, expect, it } from 'vitest';
import { threadKey, threadKeyOfE164 } from '../../../../shared/domain/threadKey';
import { useTempDatabase } from '../../../../tests/support/tempDatabase';
import type { Db } from './database';
import { insertMessage } from './messages';
import { literalTerms, namedParticipants, numberDigits, searchMessages, toMatchQuery } from './search';
import type { SearchOptions } from './search';
import { upsertThread } from './threads';

const OUR = '+19195550100';
const temp = useTempDatabase('switchboard-search-unit-');

function thread(db: Db, number: string): string {
  return upsertThread(db, threadKey(OUR, [number]), 1).id;
}
/** A thread with a short code or sender name, kept as written (as inbound keeps it). */
function senderThread(db: Db, sender: string): string {
  return upsertThread(db, threadKeyOfE164(OUR, [sender]), 1).id;
}
function add(db: Db, threadId: string, from: string, at: number, text: string): string {
  return insertMessage(db, { threadId, direction: 'in', from, to: [OUR], text, status: 'received', createdAt: at, segments: 1, encoding: 'UCS-2' }).id;
}
const texts = (db: Db, options: Partial<SearchOptions> & { query: string }) => searchMessages(db, options).results.map((r) => r.message.text);

/** Every page of a search, by its cursor. */
function allPages(db: Db, options: SearchOptions): string[] {
  const seen: string[] = [];
  let before: string | undefined;
  do {
    const page = searchMessages(db, { ...options, ...(before ? { before } : {}) });
    seen.push(...page.results.map((r) => r.message.text));
    before = page.nextCursor ?? undefined;
  } while (before);
  return seen;
}

describe('terms the index cannot see', () => {
  it('are kept as literals, beside the words the index matches', () => {
    expect(literalTerms('😀')).toEqual(['😀']);
    expect(literalTerms('thanks 😀 ?!')).toEqual(['😀', '?!']);
    expect(literalTerms('"👍 👍"')).toEqual(['👍 👍']);
    expect(literalTerms('order ready* "a b"')).toEqual([]);
    expect(literalTerms('  * " " ""  ')).toEqual([]);
    expect(toMatchQuery('thanks 😀')).toBe('"thanks"');
  });

  it('an emoji alone finds only the messages holding it, newest first, with the emoji marked', () => {
    const alice = thread(temp.db, '+19195551234');
    add(temp.db, alice, '+19195551234', 100, 'hello');
    add(temp.db, alice, '+19195551234', 200, 'thanks 😀');
    add(temp.db, alice, '+19195551234', 300, 'see you 👍');
    add(temp.db, alice, '+19195551234', 400, '😀😀 great');
    add(temp.db, alice, '+19195551234', 500, 'really?! no way');
    expect(texts(temp.db, { query: '😀' })).toEqual(['😀😀 great', 'thanks 😀']);
    expect(texts(temp.db, { query: '🙈' })).toEqual([]);
    expect(texts(temp.db, { query: '?!' })).toEqual(['really?! no way']);
    // With a word, both must hold.
    expect(texts(temp.db, { query: 'thanks 😀' })).toEqual(['thanks 😀']);
    expect(texts(temp.db, { query: 'great 👍' })).toEqual([]);
    expect(searchMessages(temp.db, { query: '😀' }).results[1]!.snippet).toEqual([
      { text: 'thanks ', hit: false },
      { text: '😀', hit: true },
    ]);
  });

  it('shows the part of a long message around the emoji, without cutting an emoji in half', () => {
    const alice = thread(temp.db, '+19195551234');
    const text = `${'🙂'.repeat(100)} here 😀 ${'x'.repeat(300)}`;
    add(temp.db, alice, '+19195551234', 100, text);
    const [result] = searchMessages(temp.db, { query: '😀' }).results;
    const shown = result!.snippet.map((p) => p.text).join('');
    expect(result!.snippet.find((p) => p.hit)?.text).toBe('😀');
    expect(shown.startsWith('…🙂')).toBe(true);
    expect(shown.endsWith('x…')).toBe(true);
    expect(shown).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('pages an emoji search by keyset, exactly, when its hits are many and out of order', () => {
    const alice = thread(temp.db, '+19195551234');
    const hits: { text: string; at: number }[] = [];
    // 1,500 hits (more than the newest 1,000 the matcher lists) among 3,000 messages; every tenth written late.
    for (let i = 0; i < 3000; i++) {
      const at = i % 10 === 0 ? 10_000 - i : 100_000 + i;
      const text = i % 2 === 0 ? `n${i} 🎉` : `n${i}`;
      add(temp.db, alice, '+19195551234', at, text);
      if (i % 2 === 0) hits.push({ text, at });
    }
    const expected = hits.sort((a, b) => b.at - a.at).map((h) => h.text);
    expect(allPages(temp.db, { query: '🎉', limit: 40 })).toEqual(expected);
  });
});

describe('part of a phone number', () => {
  it('is read from the ways agents type one', () => {
    expect(numberDigits('555-0151')).toBe('5550151');
    expect(numberDigits('555-0151*')).toBe('5550151');
    expect(numberDigits('(984) 555-01')).toBe('98455501');
    expect(numberDigits('+1 984 555 0151')).toBe('19845550151');
    expect(numberDigits('0151')).toBe('0151');
    expect(numberDigits('015')).toBeNull();
    expect(numberDigits('order 0151')).toBeNull();
    expect(numberDigits('1234-AB')).toBeNull();
  });

  it('finds the messages of the threads whose number ends in it, merged with text hits in time order', () => {
    const db = temp.db;
    const ann = thread(db, '+19845550151');
    const bob = thread(db, '+19195550151');
    const cat = thread(db, '+19195551234');
    add(db, ann, '+19845550151', 100, 'hi from ann');
    add(db, bob, '+19195550151', 200, 'hi from bob');
    add(db, cat, '+19195551234', 300, 'call me at 555-0151 please');
    add(db, cat, '+19195551234', 400, 'hi from cat');
    add(db, ann, '+19845550151', 500, 'ann again');

    expect(texts(db, { query: '984 555-0151' })).toEqual(['ann again', 'hi from ann']);
    expect(texts(db, { query: '(984) 555-0151' })).toEqual(['ann again', 'hi from ann']);
    // Both numbers end in 555-0151; cat's message holds it as text.
    expect(texts(db, { query: '555-0151*' })).toEqual(['ann again', 'call me at 555-0151 please', 'hi from bob', 'hi from ann']);
    expect(texts(db, { query: '0151' })).toEqual(['ann again', 'call me at 555-0151 please', 'hi from bob', 'hi from ann']);
    expect(allPages(db, { query: '0151', limit: 1 })).toEqual(['ann again', 'call me at 555-0151 please', 'hi from bob', 'hi from ann']);
    expect(texts(db, { query: '0151', since: 150, until: 450 })).toEqual(['call me at 555-0151 please', 'hi from bob']);
    // Inside one thread the query is text only.
    expect(texts(db, { query: '0151', threadId: cat })).toEqual(['call me at 555-0151 please']);
    expect(texts(db, { query: '1234' })).toEqual(['hi from cat', 'call me at 555-0151 please']);
    expect(texts(db, { query: '9999' })).toEqual([]);
  });
});

describe('a sender name', () => {
  it('finds the messages of the threads of that name, in any case, merged with text hits in time order', () => {
    const db = temp.db;
    const bank = senderThread(db, 'BANKALERT');
    const other = senderThread(db, 'BANKALERTS');
    const ann = thread(db, '+19845550151');
    add(db, bank, 'BANKALERT', 100, 'Your code is 1234');
    add(db, other, 'BANKALERTS', 200, 'Balance low');
    add(db, ann, '+19845550151', 300, 'did BANKALERT text you?');
    add(db, bank, 'BANKALERT', 400, 'Card used at store');

    expect(namedParticipants('bankalert')).not.toBeNull();
    expect(namedParticipants('hello there!')).toBeNull();
    expect(texts(db, { query: 'BANKALERT' })).toEqual(['Card used at store', 'did BANKALERT text you?', 'Your code is 1234']);
    expect(texts(db, { query: 'bankAlert' })).toEqual(['Card used at store', 'did BANKALERT text you?', 'Your code is 1234']);
    expect(texts(db, { query: '"BANKALERT"' })).toEqual(['Card used at store', 'did BANKALERT text you?', 'Your code is 1234']);
    expect(allPages(db, { query: 'bankalert', limit: 1 })).toEqual(['Card used at store', 'did BANKALERT text you?', 'Your code is 1234']);
    // The whole name only: part of it names no thread.
    expect(texts(db, { query: 'BANK' })).toEqual([]);
    expect(texts(db, { query: 'bankalerts' })).toEqual(['Balance low']);
    expect(texts(db, { query: 'bankalert', direction: 'in', since: 250 })).toEqual(['Card used at store', 'did BANKALERT text you?']);
    // Inside one thread the query is text only.
    expect(texts(db, { query: 'bankalert', threadId: bank })).toEqual([]);
  });
});

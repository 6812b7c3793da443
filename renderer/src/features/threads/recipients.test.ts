import { describe, expect, it } from 'vitest';
import { aThread } from '../../testing/fixtures';
import { addRecipients, formatAsTyped, formatBytes, initials, parseRecipients, threadTitle } from './recipients';

describe('recipients', () => {
  it('splits, normalises and flags what was typed', () => {
    expect(parseRecipients('(919) 555-1234, 919.555.9876;+44 20 7946 0958\nnope')).toEqual([
      { raw: '(919) 555-1234', e164: '+19195551234' },
      { raw: '919.555.9876', e164: '+19195559876' },
      { raw: '+44 20 7946 0958', e164: '+442079460958' },
      { raw: 'nope', e164: null },
    ]);
  });

  it('takes several numbers pasted with only spaces between them, but not a number with words around it', () => {
    expect(parseRecipients('(919) 555-1234 (919) 555-9876  +44 20 7946 0958')).toEqual([
      { raw: '(919) 555-1234', e164: '+19195551234' },
      { raw: '(919) 555-9876', e164: '+19195559876' },
      { raw: '+44 20 7946 0958', e164: '+442079460958' },
    ]);
    expect(parseRecipients('9195551234 banana 9195559876')).toEqual([{ raw: '9195551234 banana 9195559876', e164: null }]);
    expect(parseRecipients('919 555 1234 919 555 9876')).toEqual([{ raw: '919 555 1234 919 555 9876', e164: null }]);
  });

  it('adds each number once, whatever its writing, and says which were there already', () => {
    const chips = parseRecipients('9845550151, (919) 555-1234');
    const { list, repeated } = addRecipients(chips, parseRecipients('+1 984-555-0151; 919.555.9876, 984 555 0151, nope, nope'));
    expect(list.map((r) => r.e164 ?? r.raw)).toEqual(['+19845550151', '+19195551234', '+19195559876', 'nope', 'nope']);
    expect(repeated).toEqual([
      { raw: '+1 984-555-0151', e164: '+19845550151' },
      { raw: '984 555 0151', e164: '+19845550151' },
    ]);
  });

  it('formats a number as it is typed', () => {
    expect(formatAsTyped('9195')).toBe('(919) 5');
    expect(formatAsTyped('9195551234')).toBe('(919) 555-1234');
    expect(formatAsTyped('abc')).toBe('abc');
  });

  it('titles threads by contact name, else formatted number', () => {
    expect(threadTitle(aThread({ participants: ['+19195551234', '+19195559876'], names: { '+19195551234': 'Ada Lovelace' } }))).toBe('Ada Lovelace, (919) 555-9876');
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('(919) 555-9876')).toBe('#');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3.5 * 1024 * 1024)).toBe('3.5 MB');
  });
});

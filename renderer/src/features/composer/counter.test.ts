import { describe, expect, it } from 'vitest';
import { mmsLabel, ucs2Graphemes } from './counter';

describe('counter', () => {
  it('names the characters that force UCS-2 as the agent sees them, a skin-toned emoji as one', () => {
    expect(ucs2Graphemes('Great 👍🏽 work — really 👍🏽 and 👍')).toEqual(['👍🏽', '—', '👍']);
    expect(ucs2Graphemes('family 👩‍👩‍👧 and e\u0301')).toEqual(['👩‍👩‍👧', 'e\u0301']);
    expect(ucs2Graphemes('plain text {ok}')).toEqual([]);
  });

  it('says a message with files or to a group goes as MMS, and a plain one-to-one text does not', () => {
    expect(mmsLabel(1, 1, 10)).toBe('1 of 10 files');
    expect(mmsLabel(0, 3, 10)).toBe('group');
    expect(mmsLabel(2, 3, 10)).toBe('2 of 10 files · group');
    expect(mmsLabel(0, 1, 10)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { analyzeSegments, countSegments, detectEncoding, replaceSmartPunctuation, ucs2Characters } from './segments';

describe('segments', () => {
  it('detects GSM-7 for the basic and extended alphabet and UCS-2 otherwise', () => {
    expect(detectEncoding('Hello @ £5 — ok')).toBe('UCS-2');
    expect(detectEncoding('Hello @ £5 - ok {curly} [x] ~ | € ^ \\')).toBe('GSM-7');
    expect(detectEncoding('Ça va? Ñandù ß ΔΣ')).toBe('GSM-7');
    expect(detectEncoding('emoji 🙂')).toBe('UCS-2');
    expect(detectEncoding('ç lower cedilla')).toBe('UCS-2');
    expect(detectEncoding('acute ú')).toBe('UCS-2');
  });

  it('fits 160 GSM-7 characters in one segment and splits at 153', () => {
    expect(analyzeSegments('a'.repeat(160))).toMatchObject({ segments: 1, units: 160, perSegment: 160, remainingInSegment: 0 });
    expect(analyzeSegments('a'.repeat(161))).toMatchObject({ segments: 2, perSegment: 153, remainingInSegment: 145 });
    expect(countSegments('a'.repeat(306))).toBe(2);
    expect(countSegments('a'.repeat(307))).toBe(3);
  });

  it('counts extended GSM characters as two septets', () => {
    expect(analyzeSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('€'.repeat(81))).toBe(2);
    // 152 plain septets then '{': the escape pair cannot be cut, so it starts segment two.
    expect(analyzeSegments('a'.repeat(152) + '{' + 'b'.repeat(10))).toMatchObject({ units: 164, segments: 2, remainingInSegment: 153 - 12 });
  });

  it('fits 70 UCS-2 code units in one segment and splits at 67', () => {
    expect(analyzeSegments('ж'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1, remainingInSegment: 0 });
    expect(countSegments('ж'.repeat(71))).toBe(2);
    expect(countSegments('ж'.repeat(134))).toBe(2);
    expect(countSegments('ж'.repeat(135))).toBe(3);
  });

  it('counts UCS-2 length in UTF-16 code units and never splits a surrogate pair', () => {
    expect(analyzeSegments('🙂'.repeat(35))).toMatchObject({ units: 70, segments: 1 });
    expect(countSegments('🙂'.repeat(36))).toBe(2);
    // 66 units then an emoji (2 units): it does not fit in the 67 left, so it moves on.
    expect(analyzeSegments('ж'.repeat(66) + '🙂' + 'ж')).toMatchObject({ units: 69, segments: 1 });
    expect(analyzeSegments('ж'.repeat(66) + '🙂' + 'ж'.repeat(3))).toMatchObject({ units: 71, segments: 2, remainingInSegment: 67 - 5 });
  });

  it('reports no segments for empty text', () => {
    expect(analyzeSegments('')).toMatchObject({ encoding: 'GSM-7', segments: 0, remainingInSegment: 160 });
  });

  it('lists the characters that force UCS-2, once each', () => {
    expect(ucs2Characters('It’s “fine” — really’')).toEqual(['’', '“', '”', '—']);
    expect(ucs2Characters('plain text {ok}')).toEqual([]);
  });

  it('replaces smart punctuation so the text becomes GSM-7', () => {
    const fixed = replaceSmartPunctuation('It’s “fine” — really… ok');
    expect(fixed).toBe('It\'s "fine" - really... ok');
    expect(detectEncoding(fixed)).toBe('GSM-7');
    expect(replaceSmartPunctuation('emoji 🙂 stays')).toBe('emoji 🙂 stays');
  });
});

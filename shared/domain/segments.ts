/**
 * SMS encoding and segment counting, the one implementation shared by the composer, the send queue and the
 * Bandwidth simulator (REFERENCE.md §5): GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2.
 * A single segment holds 160 septets / 70 UTF-16 code units; a split message carries a UDH, leaving 153 / 67.
 * Characters are never cut across segments: an extended GSM character (2 septets) or a surrogate pair (2 code
 * units) that does not fit in what is left of a segment moves to the next one, as handsets split them.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  /** Number of segments; 0 for empty text. */
  segments: number;
  /** Capacity of one segment at this length: 160/70 while the text fits in one, else 153/67. */
  perSegment: number;
  /** Units still free in the last segment before another one is needed. */
  remainingInSegment: number;
}

// GSM 03.38 basic character set (the escape 0x1B excluded).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// Basic set extension table: each takes an escape plus the character, 2 septets.
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

function gsmCost(char: string): number | null {
  if (GSM_BASIC.has(char)) return 1;
  if (GSM_EXTENDED.has(char)) return 2;
  return null;
}

/** The distinct characters of `text` that are not in GSM-7 and so force UCS-2, in order of first use. */
export function ucs2Characters(text: string): string[] {
  const found = new Set<string>();
  for (const char of text) if (gsmCost(char) === null) found.add(char);
  return [...found];
}

export function detectEncoding(text: string): SmsEncoding {
  return ucs2Characters(text).length === 0 ? 'GSM-7' : 'UCS-2';
}

export function analyzeSegments(text: string): SegmentInfo {
  const encoding = detectEncoding(text);
  const costs = [...text].map((char) => (encoding === 'GSM-7' ? (gsmCost(char) ?? 1) : char.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const limits = LIMITS[encoding];
  if (units <= limits.single) {
    return { encoding, units, segments: units === 0 ? 0 : 1, perSegment: limits.single, remainingInSegment: limits.single - units };
  }
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limits.multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments, perSegment: limits.multi, remainingInSegment: limits.multi - used };
}

export function countSegments(text: string): number {
  return analyzeSegments(text).segments;
}

// Typographic characters that word processors and phones substitute, with their GSM-7 equivalents.
const SMART_PUNCTUATION: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"', '\u2033': '"', '\u00AB': '"', '\u00BB': '"',
  '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2010': '-', '\u2011': '-', '\u2212': '-',
  '\u2026': '...', '\u00A0': ' ', '\u2002': ' ', '\u2003': ' ', '\u2009': ' ', '\u202F': ' ',
  '\u2022': '*', '\u00B4': "'", '\u02BC': "'", '\u02C6': '^', '\u02DC': '~',
};

/** Replaces smart quotes, dashes, ellipses and odd spaces with their GSM-7 equivalents; leaves the rest alone. */
export function replaceSmartPunctuation(text: string): string {
  let out = '';
  for (const char of text) out += SMART_PUNCTUATION[char] ?? char;
  return out;
}

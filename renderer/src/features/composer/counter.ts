import { detectEncoding } from '../../../../shared/domain/segments';

/** Carriers may cut MMS text beyond this (REFERENCE.md §4, PRODUCT.md §2.2); the hard limit stays MAX_TEXT. */
export const MMS_TEXT_RECOMMENDED = 1000;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The distinct characters as the agent sees them (grapheme clusters: 👍🏽 is one, not 👍 and a skin tone) that
 * force UCS-2, in order of first use.
 */
export function ucs2Graphemes(text: string): string[] {
  const found = new Set<string>();
  for (const { segment } of graphemes.segment(text)) if (detectEncoding(segment) === 'UCS-2') found.add(segment);
  return [...found];
}

/**
 * How the message goes: a message with files, or to a group (several participants), is one MMS, with no SMS
 * segments (REFERENCE.md §3, §4); what is said about it in the counter line. Null for a plain SMS.
 */
export function mmsLabel(files: number, participants: number, maxFiles: number): string | null {
  const parts = [files > 0 ? `${files} of ${maxFiles} files` : null, participants > 1 ? 'group' : null].filter((p) => p);
  return parts.length ? parts.join(' · ') : null;
}

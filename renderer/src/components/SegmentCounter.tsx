import { analyzeSegments, replaceSmartPunctuation, ucs2Characters } from '../../../shared/domain/segments';

interface Props {
  text: string;
  limit: number;
  onFix(fixed: string): void;
}

const show = (ch: string) => (ch.trim() ? ch : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);

/** Encoding, room left in this segment and segment count; names the characters that force UCS-2 and offers the fix. */
export function SegmentCounter({ text, limit, onFix }: Props) {
  const info = analyzeSegments(text);
  const forcing = ucs2Characters(text);
  const fixed = replaceSmartPunctuation(text);
  const over = text.length > limit;
  return (
    <div className={`segment-counter${over ? ' over' : ''}`} data-testid="segment-counter" aria-live="polite">
      <span data-testid="segment-encoding" className={info.encoding === 'UCS-2' ? 'warn' : ''}>
        {info.encoding}
      </span>
      <span>
        {info.remainingInSegment} left · {info.segments} segment{info.segments === 1 ? '' : 's'}
      </span>
      {over && <span className="danger">{text.length - limit} over the {limit} limit</span>}
      {forcing.length > 0 && (
        <span className="ucs2" title="These characters are not in the GSM-7 alphabet, so the message is sent as UCS-2 (70 characters per segment).">
          UCS-2 because of{' '}
          {forcing.slice(0, 8).map((ch) => (
            <mark key={ch} data-testid="ucs2-char">
              {show(ch)}
            </mark>
          ))}
          {forcing.length > 8 && '…'}
        </span>
      )}
      {fixed !== text && (
        <button type="button" className="link-button" onClick={() => onFix(fixed)}>
          Replace smart punctuation
        </button>
      )}
    </div>
  );
}

import { analyzeSegments, replaceSmartPunctuation } from '../../../shared/domain/segments';
import { MMS_TEXT_RECOMMENDED, ucs2Graphemes } from '../features/composer/counter';

interface Props {
  text: string;
  limit: number;
  /** Set when the message goes as MMS (files, or a group): why, e.g. "2 of 10 files". No segments then. */
  mms: string | null;
  onFix(fixed: string): void;
}

const show = (ch: string) => (ch.trim() ? ch : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);

/**
 * SMS: encoding, room left in this segment and segment count; names the characters that force UCS-2 and offers the
 * fix. MMS has no segments and no encoding to fix, only a recommended text length.
 */
export function SegmentCounter({ text, limit, mms, onFix }: Props) {
  const over = text.length > limit;
  if (mms) {
    return (
      <div className={`segment-counter${over ? ' over' : ''}`} data-testid="segment-counter" aria-live="polite">
        <span data-testid="segment-encoding">MMS</span>
        <span>{mms}</span>
        <span className={text.length > MMS_TEXT_RECOMMENDED ? 'warn' : ''} title={`Carriers may cut MMS text longer than ${MMS_TEXT_RECOMMENDED} characters.`}>
          {text.length} of {MMS_TEXT_RECOMMENDED} characters recommended
        </span>
        {over && <span className="danger">{text.length - limit} over the {limit} limit</span>}
      </div>
    );
  }
  const info = analyzeSegments(text);
  const forcing = ucs2Graphemes(text);
  const fixed = replaceSmartPunctuation(text);
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

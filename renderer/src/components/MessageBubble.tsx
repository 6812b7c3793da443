import { explainErrorCode, explainFailure } from '../../../shared/domain/errorCodes';
import { formatPhone } from '../../../shared/domain/phone';
import { memo } from 'react';
import type { Message } from '../../../shared/ipc/schemas';
import { shownAt } from '../features/conversation/layout';
import { CARRIER_ONLY_MEANING, carrierOnlyReceipt, deliveriesSummary, statusWord, tickFor } from '../features/conversation/ticks';
import { clockTime, dateTime, shortDate, whenLabel } from '../features/ui/dates';
import { MediaPreview } from './MediaPreview';
import { MessageText } from './MessageText';
import { TickMark } from './TickMark';

interface Props {
  message: Message;
  sender: string | null;
  names: Record<string, string>;
  groupStart: boolean;
  groupEnd: boolean;
  highlighted: boolean;
  /** Whether a recipient of the thread has opted out now: a message they refused (4775) can be retried once they opted back in. */
  optedOut: boolean;
  actionError: string | undefined;
  onRetry(messageId: string): void;
  onCancel(messageId: string): void;
  onOpenImage(url: string, name: string): void;
}

const sameDay = (a: number, b: number) => new Date(a).toDateString() === new Date(b).toDateString();

/**
 * Memoised: the conversation re-renders on every scrolled frame (the virtualizer) and on every page prepended, and a
 * bubble whose props did not change need not render again. Keep its props stable (no fresh objects or closures).
 */
export const MessageBubble = memo(function MessageBubble(p: Props) {
  const m = p.message;
  const tick = tickFor(m);
  const out = m.direction === 'out';
  const failure = m.status === 'failed' ? explainFailure(m, p.optedOut) : null;
  const canCancel = m.status === 'scheduled' || m.status === 'queued';
  const group = m.deliveries.length > 1;
  const carrierOnly = carrierOnlyReceipt(m);
  // A scheduled message says when it will go, and once gone when it went; when it was scheduled is in the tooltip.
  const shown = m.status === 'scheduled' ? (m.sendAt ?? m.createdAt) : shownAt(m);
  const waiting = m.status === 'scheduled' && shown !== m.createdAt;
  const time = clockTime(shown);
  const scheduledAt = out && m.sendAt !== null ? `scheduled at ${sameDay(m.createdAt, shown) ? '' : `${shortDate(m.createdAt)}, `}${clockTime(m.createdAt)}` : null;
  const shownText = waiting ? `Sends ${whenLabel(shown, Date.now())}` : time;
  return (
    <div
      className={`message ${out ? 'out' : 'in'}${p.groupStart ? ' group-start' : ''}${p.groupEnd ? ' group-end' : ''}${p.highlighted ? ' highlighted' : ''}`}
      role="article"
      aria-label={`${out ? 'You' : (p.sender ?? 'Customer')} at ${time}${scheduledAt ? `, ${scheduledAt}` : ''}`}
      data-testid="message"
      data-message-id={m.id}
      data-direction={m.direction}
      data-status={m.status}
    >
      {p.sender && <div className="sender">{p.sender}</div>}
      <div className={`bubble${m.status === 'failed' ? ' failed' : ''}`}>
        {m.attachments.length > 0 && (
          <div className="media">
            {m.attachments.map((a) => (
              <MediaPreview key={a.id} attachment={a} onOpenImage={p.onOpenImage} />
            ))}
          </div>
        )}
        {m.text && (
          <div className="text">
            <MessageText text={m.text} />
          </div>
        )}
        <div className="meta">
          {m.tag && <span className="tag">{m.tag}</span>}
          <time dateTime={new Date(shown).toISOString()} title={scheduledAt ? `${dateTime(shown)}, ${scheduledAt}` : dateTime(shown)}>
            {shownText}
          </time>
          {tick && <TickMark tick={tick} />}
        </div>
      </div>
      {group && out && (
        <details className="deliveries">
          <summary title={carrierOnly ? CARRIER_ONLY_MEANING : undefined}>{deliveriesSummary(m)}</summary>
          <ul aria-label="Status per recipient">
            {m.deliveries.map((d) => (
              <li key={d.recipient} data-testid="delivery" data-recipient={d.recipient} data-status={d.status}>
                <span>{p.names[d.recipient] ?? formatPhone(d.recipient)}</span>
                <span className={`delivery-status status-${d.status}`}>
                  {statusWord(d.status, carrierOnly)}
                  {d.errorCode ? ` (${explainErrorCode(d.errorCode).title})` : ''}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {failure && (
        <div className="failure" role="note">
          <strong>{failure.title}</strong> {failure.action}
          {/* Bandwidth's own words (often a short tag such as "destination-unavailable") go with the code, for support. */}
          {failure.detail && <span className="muted"> {failure.detail}.</span>}
          {failure.canRetry && (
            <button type="button" className="link-button" onClick={() => p.onRetry(m.id)}>
              Retry
            </button>
          )}
        </div>
      )}
      {canCancel && out && (
        <div className="failure neutral">
          <button type="button" className="link-button" onClick={() => p.onCancel(m.id)}>
            Cancel sending
          </button>
        </div>
      )}
      {p.actionError && (
        <div className="failure" role="alert">
          {p.actionError}
        </div>
      )}
    </div>
  );
});

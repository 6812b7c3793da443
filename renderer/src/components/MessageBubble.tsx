import { explainErrorCode, explainFailure } from '../../../shared/domain/errorCodes';
import { formatPhone } from '../../../shared/domain/phone';
import { memo } from 'react';
import type { Message } from '../../../shared/ipc/schemas';
import { tickFor } from '../features/conversation/ticks';
import { clockTime, dateTime, weekdayTime } from '../features/ui/dates';
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

const STATUS_WORDS: Record<string, string> = {
  delivered: 'Delivered', failed: 'Failed', sent: 'Sent', accepted: 'Accepted', queued: 'Queued', sending: 'Sending', scheduled: 'Scheduled', 'no-receipt': 'No receipt',
};

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
  const time = clockTime(m.createdAt);
  const group = m.deliveries.length > 1;
  // A scheduled message says when it will go, not when it was written.
  const shown = m.status === 'scheduled' && m.sendAt ? m.sendAt : m.createdAt;
  const shownText = shown === m.createdAt ? time : `Sends ${weekdayTime(shown)}`;
  return (
    <div
      className={`message ${out ? 'out' : 'in'}${p.groupStart ? ' group-start' : ''}${p.groupEnd ? ' group-end' : ''}${p.highlighted ? ' highlighted' : ''}`}
      role="article"
      aria-label={`${out ? 'You' : (p.sender ?? 'Customer')} at ${time}`}
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
          <time dateTime={new Date(shown).toISOString()} title={dateTime(shown)}>
            {shownText}
          </time>
          {tick && <TickMark tick={tick} />}
        </div>
      </div>
      {group && out && (
        <details className="deliveries">
          <summary>
            {m.deliveries.filter((d) => d.status === 'delivered').length} of {m.deliveries.length} delivered
            {m.deliveries.some((d) => d.status === 'failed') ? `, ${m.deliveries.filter((d) => d.status === 'failed').length} failed` : ''}
          </summary>
          <ul aria-label="Status per recipient">
            {m.deliveries.map((d) => (
              <li key={d.recipient} data-testid="delivery" data-recipient={d.recipient} data-status={d.status}>
                <span>{p.names[d.recipient] ?? formatPhone(d.recipient)}</span>
                <span className={`delivery-status status-${d.status}`}>
                  {STATUS_WORDS[d.status] ?? d.status}
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

import type { Thread } from '../../../shared/ipc/schemas';
import { formatPhone } from '../../../shared/domain/phone';
import type { Tick } from '../features/conversation/ticks';
import { initials } from '../features/threads/recipients';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

interface Props {
  thread: Thread;
  title: string;
  time: string;
  tick: Tick | null;
  selected: boolean;
  showOurNumber: boolean;
  onSelect(): void;
}

export function ThreadRow({ thread, title, time, tick, selected, showOurNumber, onSelect }: Props) {
  const preview = thread.preview;
  const previewText = preview ? (preview.text || (preview.hasMedia ? 'Attachment' : '')) : 'No messages yet';
  return (
    <div
      role="option"
      aria-selected={selected}
      tabIndex={-1}
      id={`thread-${thread.id}`}
      className={`thread-row${selected ? ' selected' : ''}${thread.unread ? ' unread' : ''}`}
      data-testid="thread-item"
      data-thread-id={thread.id}
      onClick={onSelect}
    >
      <Avatar label={thread.participants.length > 1 ? String(thread.participants.length) : initials(title)} colorKey={thread.participants.join()} />
      <div className="thread-main">
        <div className="thread-line">
          <span className="thread-title">{title}</span>
          <span className="thread-time">{time}</span>
        </div>
        <div className="thread-line">
          <span className="thread-preview">
            {preview?.direction === 'out' && tick && (
              <span className={`tick tick-${tick.icon}`} title={tick.label}>
                <Icon name={tick.icon} size={12} />
              </span>
            )}
            {preview?.hasMedia && <Icon name="clip" size={12} />}
            {thread.optedOut && (
              <span className="badge badge-danger" title="This customer opted out">
                Opted out
              </span>
            )}
            <span className="ellipsis">{previewText}</span>
          </span>
          {thread.unread > 0 && (
            <span className="unread-badge" data-testid="unread-count" aria-label={`${thread.unread} unread`}>
              {thread.unread}
            </span>
          )}
        </div>
        {showOurNumber && <div className="thread-via">via {formatPhone(thread.ourNumber)}</div>}
      </div>
    </div>
  );
}

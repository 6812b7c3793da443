import type { Attachment } from '../../../shared/ipc/schemas';
import { formatBytes } from '../features/threads/recipients';
import { Icon } from './Icon';

interface Props {
  attachment: Attachment;
  onOpenImage(url: string, name: string): void;
}

/** Inline media: images open in the viewer, audio and video play in place, anything else is a card. */
export function MediaPreview({ attachment: a, onOpenImage }: Props) {
  if (!a.url || a.state !== 'ready') {
    return (
      <div className="media-card" data-testid="message-media" data-state={a.state}>
        <Icon name="file" size={20} />
        <span className="media-name">{a.name}</span>
        <span className="muted">{a.state === 'failed' ? 'Could not be downloaded' : 'Downloading…'}</span>
      </div>
    );
  }
  const kind = a.contentType.split('/')[0];
  if (kind === 'image') {
    return (
      <button type="button" className="media-image" data-testid="message-media" onClick={() => onOpenImage(a.url!, a.name)} aria-label={`Open image ${a.name}`}>
        <img src={a.url} alt={a.name} loading="lazy" />
      </button>
    );
  }
  if (kind === 'audio') return <audio className="media-audio" data-testid="message-media" controls src={a.url} aria-label={a.name} />;
  if (kind === 'video') return <video className="media-video" data-testid="message-media" controls src={a.url} aria-label={a.name} />;
  return (
    <a className="media-card" data-testid="message-media" href={a.url} download={a.name} target="_blank" rel="noreferrer">
      <Icon name="file" size={20} />
      <span className="media-name">{a.name}</span>
      <span className="muted">
        {a.contentType === 'application/pdf' ? 'PDF' : a.contentType} · {formatBytes(a.size)}
      </span>
    </a>
  );
}

import { useState, type CSSProperties } from 'react';
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
  if (kind === 'image') return <InlineImage attachment={a} url={a.url} onOpenImage={onOpenImage} />;
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

/** The largest box a picture takes in a bubble; it keeps its own shape within it (the viewer shows it full size). */
export const IMAGE_MAX = { width: 320, height: 360 } as const;
/** Below this a very tall or wide picture stays a strip still worth clicking; it is letterboxed to fit. */
const MIN_SIDE = 48;

interface Size {
  width: number;
  height: number;
}

/**
 * Sizes learnt as pictures load, kept for the session, for pictures the core could not measure (files from before it
 * did, a type it cannot read): a bubble that the conversation draws again (scrolled away and back, or after an
 * update) then reserves the picture's box before it loads.
 */
const knownSizes = new Map<string, Size>();

/** The box for a picture of this size: its own aspect ratio, scaled down into IMAGE_MAX. Unknown: the stylesheet's placeholder. */
export function imageBox(size: Size | undefined): CSSProperties | undefined {
  if (!size || size.width <= 0 || size.height <= 0) return undefined;
  const scale = Math.min(1, IMAGE_MAX.width / size.width, IMAGE_MAX.height / size.height);
  return { width: Math.max(MIN_SIDE, Math.round(size.width * scale)), aspectRatio: `${size.width} / ${size.height}` };
}

function InlineImage({ attachment: a, url, onOpenImage }: { attachment: Attachment; url: string; onOpenImage(url: string, name: string): void }) {
  const { id, name } = a;
  // The core's size where it has one, so even the first load keeps its box; else one learnt earlier, else none yet.
  const [size, setSize] = useState(() => (a.width && a.height ? { width: a.width, height: a.height } : knownSizes.get(id)));
  return (
    <button type="button" className="media-image" data-testid="message-media" onClick={() => onOpenImage(url, name)} aria-label={`Open image ${name}`}>
      <img
        src={url}
        alt={name}
        loading="lazy"
        style={imageBox(size)}
        onLoad={(e) => {
          const loaded = { width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight };
          knownSizes.set(id, loaded);
          if (loaded.width !== size?.width || loaded.height !== size?.height) setSize(loaded);
        }}
      />
    </button>
  );
}

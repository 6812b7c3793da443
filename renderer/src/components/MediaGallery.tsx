import { useEffect, useRef } from 'react';
import type { Attachment } from '../../../shared/ipc/schemas';
import { formatBytes } from '../features/threads/recipients';
import { Icon } from './Icon';

interface Props {
  items: readonly { attachment: Attachment; messageId: string; createdAt: number }[];
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  onLoadMore(): void;
  onOpenImage(url: string, name: string): void;
}

/** A thread's files as a grid: images as thumbnails that open the viewer, anything else as a card; more load as the end comes into view. */
export function MediaGallery({ items, hasMore, loading, error, onLoadMore, onOpenImage }: Props) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = end.current;
    if (!el || !hasMore) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) onLoadMore();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore, onLoadMore, items.length]);

  return (
    <div className="media-gallery" data-testid="media-gallery" aria-busy={loading}>
      {items.length === 0 && !loading && !error && <p className="muted">Photos and files in this conversation show here.</p>}
      <ul className="gallery-grid">
        {items.map(({ attachment: a, createdAt }) => (
          <li key={a.id} className={a.contentType.startsWith('image/') ? 'gallery-image' : 'gallery-file'}>
            {a.contentType.startsWith('image/') ? (
              <button type="button" onClick={() => onOpenImage(a.url!, a.name)} aria-label={`Open image ${a.name}`} title={new Date(createdAt).toLocaleString()}>
                <img src={a.url!} alt="" loading="lazy" />
              </button>
            ) : (
              <a className="gallery-card" href={a.url!} download={a.name} title={new Date(createdAt).toLocaleString()}>
                <Icon name="file" size={20} />
                <span className="media-name">{a.name}</span>
                <span className="muted">{formatBytes(a.size)}</span>
              </a>
            )}
          </li>
        ))}
        {loading && Array.from({ length: items.length === 0 ? 6 : 3 }, (_, i) => <li key={`skeleton-${i}`} className="gallery-skeleton" aria-hidden="true" />)}
      </ul>
      {error && (
        <p className="feedback danger" role="alert">
          Could not load the media: {error}
        </p>
      )}
      <div ref={end} className="gallery-end" />
    </div>
  );
}

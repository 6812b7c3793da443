import { IMAGE_TARGET_BYTES } from '../../../shared/domain/mms';
import type { Chip } from '../features/composer/composerStore';
import { formatBytes } from '../features/threads/recipients';
import { Icon } from './Icon';

/**
 * What an uploading chip says: its progress, then, once every byte is with the engine, what the engine is doing with
 * it (a large picture takes seconds to resize, and "100%" alone looks stuck).
 */
export function uploadPhase(chip: Pick<Chip, 'loaded' | 'size' | 'contentType'>): string {
  if (chip.loaded < chip.size) return `${chip.size ? Math.round((chip.loaded / chip.size) * 100) : 0}%`;
  return chip.contentType.startsWith('image/') && chip.size > IMAGE_TARGET_BYTES ? 'Resizing…' : 'Checking…';
}

export function AttachmentChip({ chip, onRemove }: { chip: Chip; onRemove(): void }) {
  const uploading = chip.state === 'uploading';
  const phase = uploading ? uploadPhase(chip) : null;
  const sent = chip.size ? Math.min(100, Math.round((chip.loaded / chip.size) * 100)) : 0;
  return (
    <li className={`chip chip-${chip.state}`} data-testid="attachment-chip" data-state={chip.state}>
      {chip.previewUrl ? <img className="chip-thumb" src={chip.previewUrl} alt="" /> : <Icon name="file" size={24} className="chip-thumb" />}
      <div className="chip-body">
        <span className="chip-name" title={chip.name}>
          {chip.name}
        </span>
        <span className="chip-size" data-testid="chip-phase">
          {formatBytes(chip.size)}
          {phase && ` · ${phase}`}
        </span>
        {/* No value once the bytes are in: the engine's work has no measurable progress. */}
        {uploading && <progress {...(sent < 100 ? { value: sent } : {})} max={100} aria-label={`${phase === 'Resizing…' ? 'Resizing' : 'Uploading'} ${chip.name}`} />}
        {chip.error && (
          <span className="chip-error" role="alert">
            {chip.error}
          </span>
        )}
        {chip.notice && <span className="chip-notice">{chip.notice}</span>}
      </div>
      <button type="button" className="icon-button" onClick={onRemove} aria-label={`Remove ${chip.name}`}>
        <Icon name="close" size={14} />
      </button>
    </li>
  );
}

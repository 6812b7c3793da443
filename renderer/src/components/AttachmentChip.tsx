import type { Chip } from '../features/composer/composerStore';
import { formatBytes } from '../features/threads/recipients';
import { Icon } from './Icon';

export function AttachmentChip({ chip, onRemove }: { chip: Chip; onRemove(): void }) {
  const percent = chip.size ? Math.min(100, Math.round((chip.loaded / chip.size) * 100)) : 0;
  return (
    <li className={`chip chip-${chip.state}`} data-testid="attachment-chip" data-state={chip.state}>
      {chip.previewUrl ? <img className="chip-thumb" src={chip.previewUrl} alt="" /> : <Icon name="file" size={24} className="chip-thumb" />}
      <div className="chip-body">
        <span className="chip-name" title={chip.name}>
          {chip.name}
        </span>
        <span className="chip-size">
          {formatBytes(chip.size)}
          {chip.state === 'uploading' && ` · ${percent}%`}
        </span>
        {chip.state === 'uploading' && <progress value={percent} max={100} aria-label={`Uploading ${chip.name}`} />}
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

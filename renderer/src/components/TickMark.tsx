import type { Tick } from '../features/conversation/ticks';
import { Icon } from './Icon';

export function TickMark({ tick }: { tick: Tick }) {
  return (
    <span className={`tick tick-${tick.icon}`} title={tick.label} aria-label={tick.label} role="img" data-testid="message-status">
      <Icon name={tick.icon} size={14} />
    </span>
  );
}

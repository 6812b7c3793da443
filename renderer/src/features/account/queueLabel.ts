import type { QueueStatus } from '../../../../shared/ipc/schemas';

function inWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 1) return 'now';
  if (s < 60) return `in ${s} s`;
  const m = Math.round(s / 60);
  return m < 60 ? `in ${m} min` : `in ${Math.round(m / 60)} h`;
}

/** The status bar's queue text: depth, and when the queue should be empty. */
export function queueLabel(queue: QueueStatus, now: number): string {
  const scheduled = queue.scheduled ? ` · ${queue.scheduled} scheduled` : '';
  if (queue.depth === 0) return `Queue empty${scheduled}`;
  const eta = queue.drainedBy ?? queue.nextSendAt;
  return `${queue.depth} queued${eta ? `, all sent ${inWords(eta - now)}` : ''}${scheduled}`;
}

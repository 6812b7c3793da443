import type { QueueStatus } from '../../../../shared/ipc/schemas';

function inWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 1) return 'now';
  if (s < 60) return `in ${s} s`;
  const m = Math.round(s / 60);
  return m < 60 ? `in ${m} min` : `in ${Math.round(m / 60)} h`;
}

/** The status bar's queue text: what waits to go now, when it should all be sent, and what is scheduled. */
export function queueLabel(queue: QueueStatus, now: number): string {
  const scheduled = queue.scheduled ? ` · ${queue.scheduled} scheduled` : '';
  // The engine's depth counts every job, scheduled ones included.
  const queued = queue.depth - queue.scheduled;
  if (queued <= 0) return `Queue empty${scheduled}`;
  const eta = queue.drainedBy ?? queue.nextSendAt;
  return `${queued} queued${eta ? `, all sent ${inWords(eta - now)}` : ''}${scheduled}`;
}

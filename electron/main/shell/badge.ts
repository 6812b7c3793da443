import type { RpcEndpoint } from '../../../shared/ipc/envelope';
import type { MethodOutput } from '../../../shared/ipc/contract';
import type { Logger } from '../core/platform/ports';
import { onCoreEvent } from './events';

/**
 * The unread total on the dock/taskbar badge: seeded from `threads.list` (view unread), then kept current from
 * `thread.updated` events. `show` is the platform's way of displaying it (see startShell).
 */
export function startUnreadBadge(endpoint: RpcEndpoint, show: (total: number) => void, logger: Logger): { ready: Promise<void>; stop(): void } {
  const unread = new Map<string, number>();
  let shown = -1;
  const render = () => {
    let total = 0;
    for (const count of unread.values()) total += count;
    if (total !== shown) show((shown = total));
  };
  const setThread = (id: string, count: number) => (count > 0 ? unread.set(id, count) : unread.delete(id));

  // Subscribed before seeding, so an update during the seed is not lost; a seeded page never overrides one.
  const updated = new Set<string>();
  const off = onCoreEvent(endpoint, 'thread.updated', ({ thread }) => {
    updated.add(thread.id);
    setThread(thread.id, thread.unread);
    render();
  });

  const ready = (async () => {
    let before: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const response = await endpoint.handle({ id: page, method: 'threads.list', input: { view: 'unread', limit: 500, ...(before ? { before } : {}) } });
      if (!response.ok) {
        logger.warn('unread badge: could not list unread threads', { code: response.error.code });
        break;
      }
      const output = response.output as MethodOutput<'threads.list'>;
      for (const thread of output.threads) if (!updated.has(thread.id)) setThread(thread.id, thread.unread);
      if (!output.nextCursor) break;
      before = output.nextCursor;
    }
    render();
  })();
  return { ready, stop: off };
}

import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { WindowStats } from './window';

/** The window (browser mode's renderer transport) in its own process, as the renderer is: see window.ts. */
export async function startWindow(): Promise<ChildProcess> {
  const window = fork(join(import.meta.dirname, 'window.ts'), [], { execArgv: ['--import', 'tsx'] });
  await once(window, 'message');
  return window;
}

/** Sends `message` to a child and resolves with the `key` field of its first reply that has one. */
export function ask<T>(child: ChildProcess, message: object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (reply: Record<string, unknown>) => {
      if (!(key in reply)) return;
      child.off('message', onMessage);
      resolve(reply[key] as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

/** What the window saw, once `done(stats)` holds or two seconds pass: the last events may still be on their way. */
export async function windowStats(window: ChildProcess, done: (stats: WindowStats) => boolean): Promise<WindowStats> {
  let seen = await ask<WindowStats>(window, { stats: true }, 'stats');
  for (let waited = 0; !done(seen) && waited < 2000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
    seen = await ask<WindowStats>(window, { stats: true }, 'stats');
  }
  return seen;
}

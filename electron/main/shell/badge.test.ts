import { describe, expect, it } from 'vitest';
import type { Handlers } from '../core/rpc/rpcServer';
import { createRpcServer } from '../core/rpc/rpcServer';
import { startUnreadBadge } from './badge';
import { aThread } from '../../../tests/electron/fixtures';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('startUnreadBadge', () => {
  it('seeds the total from every page of unread threads, then follows thread updates', async () => {
    const inputs: unknown[] = [];
    const handlers: Partial<Handlers> = {
      'threads.list': (input) => {
        inputs.push(input);
        return input.before
          ? { threads: [aThread({ id: 't3', unread: 4 })], nextCursor: null }
          : { threads: [aThread({ id: 't1', unread: 2 }), aThread({ id: 't2', unread: 1 })], nextCursor: 'page2' };
      },
    };
    const rpc = createRpcServer(() => handlers, quiet);
    const shown: number[] = [];
    const badge = startUnreadBadge(rpc, (n) => shown.push(n), quiet);
    await badge.ready;
    expect(inputs).toEqual([
      { view: 'unread', limit: 500 },
      { view: 'unread', limit: 500, before: 'page2' },
    ]);
    expect(shown).toEqual([7]);

    rpc.emit('thread.updated', { thread: aThread({ id: 't1', unread: 0 }) });
    rpc.emit('thread.updated', { thread: aThread({ id: 't9', unread: 1 }) });
    rpc.emit('thread.updated', { thread: aThread({ id: 't9', unread: 1 }) });
    expect(shown).toEqual([7, 5, 6]);

    badge.stop();
    rpc.emit('thread.updated', { thread: aThread({ id: 't3', unread: 0 }) });
    expect(shown).toEqual([7, 5, 6]);
  });

  it('lets an update during the seed win over the older page', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const rpc = createRpcServer(
      () => ({
        'threads.list': async () => {
          await gate;
          return { threads: [aThread({ id: 't1', unread: 3 })], nextCursor: null };
        },
      }),
      quiet,
    );
    const shown: number[] = [];
    const badge = startUnreadBadge(rpc, (n) => shown.push(n), quiet);
    rpc.emit('thread.updated', { thread: aThread({ id: 't1', unread: 0 }) });
    release();
    await badge.ready;
    expect(shown).toEqual([0]);
  });

  it('shows zero and logs when the core cannot list threads', async () => {
    const warnings: string[] = [];
    const rpc = createRpcServer(() => ({}), { ...quiet, warn: (m) => void warnings.push(m) });
    const shown: number[] = [];
    await startUnreadBadge(rpc, (n) => shown.push(n), { ...quiet, warn: (m) => void warnings.push(m) }).ready;
    expect(shown).toEqual([0]);
    expect(warnings).toEqual([expect.stringContaining('unread badge')]);
  });
});

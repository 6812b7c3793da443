import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { events, methods } from '../../shared/ipc/contract';
import { createBridge, isWellFormedName } from './bridge';

function fakeIpc() {
  const invoked: [string, unknown][] = [];
  const listeners = new Map<string, (event: IpcRendererEvent, ...args: unknown[]) => void>();
  const ipc = {
    invoke: async (channel: string, envelope: { id: number }) => {
      invoked.push([channel, envelope]);
      return { id: envelope.id, ok: true, output: { fine: true } };
    },
    on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void) {
      if (listeners.has(channel)) throw new Error('listened twice');
      listeners.set(channel, listener);
      return this;
    },
  } as unknown as Pick<IpcRenderer, 'invoke' | 'on'>;
  const fire = (event: string, payload: unknown) => listeners.get('rpc:event')?.({} as IpcRendererEvent, { event, payload });
  return { ipc, invoked, listeners, fire };
}

describe('isWellFormedName', () => {
  it('lets every method and event of the contract through', () => {
    for (const name of [...Object.keys(methods), ...Object.keys(events)]) expect(isWellFormedName(name), name).toBe(true);
  });
  it('accepts noun.verb names and nothing else', () => {
    for (const name of ['account.status', 'messages.send', 'message.statusChanged', 'app.commandIssued']) expect(isWellFormedName(name), name).toBe(true);
    for (const name of ['', 'account', 'a.b.c', 'Account.status', 'account.status ', '__proto__', 'constructor.name1', 'x.y-z', 'rpc:event', 42, null, {}]) {
      expect(isWellFormedName(name), String(name)).toBe(false);
    }
  });
});

describe('createBridge', () => {
  it('invokes one channel with a request envelope and returns the response envelope', async () => {
    const { ipc, invoked } = fakeIpc();
    const bridge = createBridge(ipc);
    expect(await bridge.invoke('account.status', {})).toEqual({ id: 1, ok: true, output: { fine: true } });
    await bridge.invoke('threads.list', { limit: 5 });
    expect(invoked).toEqual([
      ['rpc', { id: 1, method: 'account.status', input: {} }],
      ['rpc', { id: 2, method: 'threads.list', input: { limit: 5 } }],
    ]);
  });

  it('answers a malformed method name itself, with INVALID_INPUT, and sends nothing', async () => {
    const { ipc, invoked } = fakeIpc();
    const response = await createBridge(ipc).invoke('../../etc', {});
    expect(response).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('../../etc') } });
    expect(invoked).toEqual([]);
  });

  it('delivers payloads to subscribers of that event only, until they unsubscribe', () => {
    const { ipc, fire, listeners } = fakeIpc();
    const bridge = createBridge(ipc);
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = bridge.subscribe('message.created', (p) => a.push(p));
    bridge.subscribe('queue.changed', (p) => b.push(p));
    expect(listeners.size).toBe(1);
    fire('message.created', { n: 1 });
    fire('queue.changed', { n: 2 });
    offA();
    fire('message.created', { n: 3 });
    expect(a).toEqual([{ n: 1 }]);
    expect(b).toEqual([{ n: 2 }]);
  });

  it('refuses malformed event names and non-function listeners', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(() => bridge.subscribe('rpc:event', () => {})).toThrow(TypeError);
    expect(() => bridge.subscribe('message.created', 'nope' as unknown as () => void)).toThrow(TypeError);
  });
});

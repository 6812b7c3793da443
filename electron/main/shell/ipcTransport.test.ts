import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope, ResponseEnvelope, RpcEndpoint } from '../../../shared/ipc/envelope';
import { EVENT_CHANNEL as PRELOAD_EVENT_CHANNEL, RPC_CHANNEL as PRELOAD_RPC_CHANNEL } from '../../preload/bridge';
import { EVENT_CHANNEL, RPC_CHANNEL, attachIpcTransport, isTrustedSender } from './ipcTransport';

type Frame = { url: string; parent: Frame | null };
const fakeContents = (url = 'app://switchboard/index.html') => {
  const sent: [string, unknown][] = [];
  const mainFrame: Frame = { url, parent: null };
  const contents = {
    mainFrame,
    sent,
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    getURL: () => mainFrame.url,
    send: (channel: string, payload: unknown) => void sent.push([channel, payload]),
  };
  return contents;
};
const eventFrom = (sender: unknown, frame: Frame | null) => ({ sender, senderFrame: frame }) as unknown as IpcMainInvokeEvent;
const asContents = (c: ReturnType<typeof fakeContents>) => c as unknown as WebContents;

function fakeEndpoint() {
  const listeners = new Set<(e: EventEnvelope) => void>();
  const calls: unknown[] = [];
  const endpoint: RpcEndpoint = {
    handle: async (raw) => {
      calls.push(raw);
      return { id: (raw as { id: number }).id, ok: true, output: { echoed: true } };
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { endpoint, calls, listeners, emit: (e: EventEnvelope) => listeners.forEach((l) => l(e)) };
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  return {
    handlers,
    handle: (channel: string, handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

describe('isTrustedSender', () => {
  const window = fakeContents();
  it('trusts our window main frame on our origin', () => {
    expect(isTrustedSender(eventFrom(window, window.mainFrame), asContents(window))).toBe(true);
  });
  it('refuses subframes, other webContents, foreign origins, gone frames and no window', () => {
    const subframe: Frame = { url: 'app://switchboard/frame.html', parent: window.mainFrame };
    const other = fakeContents();
    const foreign = fakeContents('https://evil.example/');
    expect(isTrustedSender(eventFrom(window, subframe), asContents(window))).toBe(false);
    expect(isTrustedSender(eventFrom(other, other.mainFrame), asContents(window))).toBe(false);
    expect(isTrustedSender(eventFrom(foreign, foreign.mainFrame), asContents(foreign))).toBe(false);
    expect(isTrustedSender(eventFrom(window, { url: 'file:///index.html', parent: null }), asContents(window))).toBe(false);
    expect(isTrustedSender(eventFrom(window, null), asContents(window))).toBe(false);
    expect(isTrustedSender(eventFrom(window, window.mainFrame), null)).toBe(false);
  });
});

describe('attachIpcTransport', () => {
  it('passes trusted requests to the endpoint and answers others UNAUTHORIZED without calling it', async () => {
    const window = fakeContents();
    const ipc = fakeIpcMain();
    const { endpoint, calls } = fakeEndpoint();
    attachIpcTransport(ipc, endpoint, () => asContents(window));
    const handler = ipc.handlers.get(RPC_CHANNEL)!;
    const request = { id: 7, method: 'account.status', input: {} };

    expect(await handler(eventFrom(window, window.mainFrame), request)).toEqual({ id: 7, ok: true, output: { echoed: true } });
    expect(calls).toEqual([request]);

    const intruder = fakeContents('https://evil.example/');
    const refused = (await handler(eventFrom(intruder, intruder.mainFrame), { ...request, id: 8 })) as ResponseEnvelope;
    expect(refused).toEqual({ id: 8, ok: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(await handler(eventFrom(window, { url: 'app://switchboard/x', parent: window.mainFrame }), 'garbage')).toMatchObject({ id: 0, ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(calls).toHaveLength(1);
  });

  it('sends events to the current window only while it shows our origin, and detaches', () => {
    let window: ReturnType<typeof fakeContents> | null = fakeContents();
    const ipc = fakeIpcMain();
    const { endpoint, emit, listeners } = fakeEndpoint();
    const detach = attachIpcTransport(ipc, endpoint, () => (window ? asContents(window) : null));
    const event = { event: 'queue.changed', payload: { depth: 1 } };

    emit(event);
    expect(window.sent).toEqual([[EVENT_CHANNEL, event]]);

    window.mainFrame.url = 'https://evil.example/';
    emit(event);
    window.mainFrame.url = 'app://switchboard/index.html';
    window.destroyed = true;
    emit(event);
    expect(window.sent).toHaveLength(1);

    window = null;
    expect(() => emit(event)).not.toThrow();

    detach();
    expect(ipc.handlers.has(RPC_CHANNEL)).toBe(false);
    expect(listeners.size).toBe(0);
  });

  it('uses the same channel names as the preload', () => {
    expect([PRELOAD_RPC_CHANNEL, PRELOAD_EVENT_CHANNEL]).toEqual([RPC_CHANNEL, EVENT_CHANNEL]);
  });
});

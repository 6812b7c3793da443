import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../core/messaging/appSettings';
import type { Handlers } from '../core/rpc/rpcServer';
import { createRpcServer } from '../core/rpc/rpcServer';
import type { NotificationContent } from './notifications';
import { notificationContent, startNotifier } from './notifications';
import { aMessage, aThread } from '../../../tests/electron/fixtures';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('notificationContent', () => {
  it('names the sender by contact name, else the formatted number', () => {
    expect(notificationContent(aMessage(), {})).toEqual({ title: '(919) 555-1234', body: 'Hello' });
    expect(notificationContent(aMessage(), { '+19195551234': 'Ada' }).title).toBe('Ada');
  });
  it('marks group messages, describes attachments and shortens long texts', () => {
    const file = { id: 'a', name: 'x.png', contentType: 'image/png', size: 1, width: null, height: null, url: null, state: 'ready' as const };
    expect(notificationContent(aMessage({ to: ['+19195550100', '+19195559999'] }), {}).title).toBe('(919) 555-1234 (group of 3)');
    expect(notificationContent(aMessage({ text: '  ', attachments: [file] }), {}).body).toBe('Sent an attachment');
    expect(notificationContent(aMessage({ text: '', attachments: [file, { ...file, id: 'b' }] }), {}).body).toBe('Sent 2 attachments');
    expect(notificationContent(aMessage({ text: 'x'.repeat(300) }), {}).body).toHaveLength(200);
  });
});

describe('startNotifier', () => {
  const setup = (reading = false, handlers: Partial<Handlers> = {}) => {
    const rpc = createRpcServer(() => handlers, quiet);
    const shown: { content: NotificationContent; click: () => void }[] = [];
    const opened: string[] = [];
    const stop = startNotifier(rpc, {
      show: (content, click) => shown.push({ content, click }),
      isReading: () => reading,
      openThread: (id) => opened.push(id),
    });
    return { rpc, shown, opened, stop };
  };

  it('raises a notification for an inbound message; a click opens its thread', () => {
    const { rpc, shown, opened } = setup();
    rpc.emit('thread.updated', { thread: aThread({ names: { '+19195551234': 'Ada' } }) });
    rpc.emit('message.created', { message: aMessage() });
    expect(shown.map((s) => s.content)).toEqual([{ title: 'Ada', body: 'Hello' }]);
    shown[0]!.click();
    expect(opened).toEqual(['t1']);
  });

  it('stays quiet for our own messages, while the agent is reading, and after stop', () => {
    const outbound = setup();
    outbound.rpc.emit('message.created', { message: aMessage({ direction: 'out', from: '+19195550100', to: ['+19195551234'], status: 'queued' }) });
    expect(outbound.shown).toEqual([]);

    const reading = setup(true);
    reading.rpc.emit('message.created', { message: aMessage() });
    expect(reading.shown).toEqual([]);

    const stopped = setup();
    stopped.stop();
    stopped.rpc.emit('message.created', { message: aMessage() });
    expect(stopped.shown).toEqual([]);
  });

  it('follows the notifications setting: read at start, then from settings.changed', async () => {
    const off = setup(false, { 'settings.get': () => ({ ...DEFAULT_SETTINGS, notifications: false }) });
    await new Promise((resolve) => setImmediate(resolve)); // the settings.get answer
    off.rpc.emit('message.created', { message: aMessage() });
    expect(off.shown).toEqual([]);

    off.rpc.emit('settings.changed', { ...DEFAULT_SETTINGS, notifications: true });
    off.rpc.emit('message.created', { message: aMessage({ id: 'm2' }) });
    expect(off.shown).toHaveLength(1);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '../../../shared/ipc/envelope';
import { aMessage, aThread } from '../../../tests/electron/fixtures';
import { createRpcServer } from '../core/rpc/rpcServer';
import type { LaunchRequests } from './singleInstance';

/** Electron, faked just enough to watch the shell compose itself (the real module cannot load under Node). */
const electron = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const calls: Record<string, unknown[][]> = {};
  const record = (name: string) => (...args: unknown[]) => void (calls[name] ??= []).push(args);
  class FakeWebContents extends EventEmitter {
    loading = true;
    url = '';
    sent: unknown[][] = [];
    get mainFrame() {
      return { url: this.url, parent: null };
    }
    isLoading = () => this.loading;
    isDestroyed = () => false;
    getURL = () => this.url;
    send = (...args: unknown[]) => void this.sent.push(args);
    setWindowOpenHandler = record('setWindowOpenHandler');
  }
  class FakeWindow extends EventEmitter {
    static all: FakeWindow[] = [];
    webContents = new FakeWebContents();
    focused = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeWindow.all.push(this);
    }
    loadURL = async (url: string) => {
      this.webContents.url = url;
    };
    finishLoading() {
      this.webContents.loading = false;
      this.webContents.emit('did-finish-load');
    }
    show = record('show');
    focus = () => void (this.focused = true);
    maximize = record('maximize');
    isMinimized = () => false;
    restore = record('restore');
    isFocused = () => this.focused;
    isMaximized = () => false;
    getNormalBounds = () => ({ x: 10, y: 20, width: 900, height: 600 });
    setOverlayIcon = record('setOverlayIcon');
  }
  class FakeNotification extends EventEmitter {
    static all: FakeNotification[] = [];
    static isSupported = () => true;
    constructor(readonly options: { title: string; body: string }) {
      super();
      FakeNotification.all.push(this);
    }
    show = record('notification.show');
  }
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    getAppPath: () => '/app',
    setBadgeCount: record('setBadgeCount'),
    setAsDefaultProtocolClient: record('setAsDefaultProtocolClient'),
  });
  return { calls, record, FakeWindow, FakeNotification, app };
});

vi.mock('electron', () => ({
  app: electron.app,
  BrowserWindow: electron.FakeWindow,
  Notification: electron.FakeNotification,
  Menu: { buildFromTemplate: (t: unknown) => ({ template: t }), setApplicationMenu: electron.record('setApplicationMenu') },
  ipcMain: { handle: electron.record('ipcMain.handle'), removeHandler: electron.record('ipcMain.removeHandler') },
  nativeImage: { createFromPath: (path: string) => ({ path }) },
  protocol: { handle: electron.record('protocol.handle') },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  session: {
    defaultSession: {
      setPermissionRequestHandler: electron.record('setPermissionRequestHandler'),
      setPermissionCheckHandler: electron.record('setPermissionCheckHandler'),
      setDevicePermissionHandler: electron.record('setDevicePermissionHandler'),
    },
  },
  shell: { openExternal: async (url: string) => electron.record('openExternal')(url) },
}));

const { startShell } = await import('./startShell');
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const dataDir = mkdtempSync(join(tmpdir(), 'sb-shell-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(argv: string[] = ['switchboard']) {
  const rpc = createRpcServer(() => ({ 'threads.list': () => ({ threads: [aThread({ unread: 2 })], nextCursor: null }) }), quiet);
  const commands: EventEnvelope[] = [];
  rpc.subscribe((e) => e.event === 'app.commandIssued' && commands.push(e));
  let deliver: (argv: readonly string[]) => void = () => {};
  const launches: LaunchRequests = { onLaunch: (handler) => ((deliver = handler), handler(argv)) };
  const shell = startShell({ rpc, dataDir, logger: quiet, launches, media: () => null, upload: () => Promise.reject(new Error('no uploads here')) });
  const window = electron.FakeWindow.all.at(-1)!;
  return { rpc, shell, window, commands, secondLaunch: (args: string[]) => deliver(args) };
}

beforeEach(() => {
  for (const key of Object.keys(electron.calls)) delete electron.calls[key];
  electron.FakeWindow.all.length = 0;
  electron.FakeNotification.all.length = 0;
  electron.app.removeAllListeners();
});

describe('startShell', () => {
  it('guards the session and every webContents, serves both protocols, and answers IPC', () => {
    start();
    expect(electron.calls.setPermissionRequestHandler).toHaveLength(1);
    expect(electron.calls.setPermissionCheckHandler).toHaveLength(1);
    expect(electron.app.listenerCount('web-contents-created')).toBe(1);
    expect(electron.calls['protocol.handle']!.map(([scheme]) => scheme)).toEqual(['app']);
    expect(electron.calls['ipcMain.handle']!.map(([channel]) => channel)).toEqual(['rpc']);
    expect(electron.calls.setApplicationMenu).toHaveLength(1);
  });

  it('opens the window with the secure options on app://, from the built preload', () => {
    const { window } = start();
    expect(window.options).toMatchObject({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true } });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(window.webContents.url).toBe('app://switchboard/index.html');
    window.emit('ready-to-show');
    expect(electron.calls.show).toHaveLength(1);
  });

  it('turns an sms: link at launch into a new-conversation command once the page has loaded', () => {
    const { window, commands } = start(['switchboard', 'sms:+19195551234?body=Hi']);
    expect(commands).toEqual([]);
    expect(electron.calls.show).toBeUndefined(); // shown on ready-to-show, not blank before
    window.finishLoading();
    expect(commands).toEqual([{ event: 'app.commandIssued', payload: { command: 'new-conversation', to: ['+19195551234'], text: 'Hi' } }]);
  });

  it('hands a second launch with a link to the running window, focused', () => {
    const { window, commands, secondLaunch } = start();
    window.finishLoading();
    secondLaunch(['switchboard', 'sms://+19195554321']);
    expect(window.focused).toBe(true);
    expect(commands.map((c) => c.payload)).toEqual([{ command: 'new-conversation', to: ['+19195554321'], text: '' }]);
  });

  it('brings the window forward on a second launch without a link, but not on its own launch', () => {
    const { window, secondLaunch } = start();
    expect(window.focused).toBe(false);
    secondLaunch(['switchboard']);
    expect(window.focused).toBe(true);
  });

  it('notifies inbound messages while the window is in the background; a click opens the thread', () => {
    const { rpc, window, commands } = start();
    window.finishLoading();
    rpc.emit('message.created', { message: aMessage() });
    const [notification] = electron.FakeNotification.all;
    expect(notification?.options).toMatchObject({ title: '(919) 555-1234', body: 'Hello' });
    notification!.emit('click');
    expect(window.focused).toBe(true);
    expect(commands.map((c) => c.payload)).toEqual([{ command: 'open-thread', threadId: 't1' }]);
    // The page opened the thread and said so: nothing more for it while it is read, but another thread still rings.
    rpc.emit('view.changed', { threadId: 't1' });
    rpc.emit('message.created', { message: aMessage({ id: 'm2' }) });
    expect(electron.FakeNotification.all).toHaveLength(1);
    rpc.emit('message.created', { message: aMessage({ id: 'm3', threadId: 't2' }) });
    expect(electron.FakeNotification.all).toHaveLength(2);
  });

  it.runIf(process.platform !== 'win32')('shows the unread total on the badge', async () => {
    const { rpc } = start();
    await vi.waitFor(() => expect(electron.calls.setBadgeCount).toEqual([[2]]));
    rpc.emit('thread.updated', { thread: aThread({ unread: 5 }) });
    expect(electron.calls.setBadgeCount!.at(-1)).toEqual([5]);
  });

  it('remembers the window bounds when it closes, and stops cleanly', () => {
    const { window, shell } = start();
    window.emit('close');
    expect(JSON.parse(readFileSync(join(dataDir, 'window-state.json'), 'utf8'))).toEqual({ x: 10, y: 20, width: 900, height: 600, maximized: false });
    shell.stop();
    expect(electron.calls['ipcMain.removeHandler']).toEqual([['rpc']]);
  });
});

import { BrowserWindow, Menu, Notification, app, ipcMain, nativeImage, protocol, screen, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppCommand } from '../../../shared/ipc/contract';
import type { Logger } from '../core/platform/ports';
import type { RpcServer } from '../core/rpc/rpcServer';
import { startUnreadBadge } from './badge';
import { guardSession, guardWebContents } from './guards';
import { attachIpcTransport } from './ipcTransport';
import { menuTemplate } from './menu';
import { onCoreEvent } from './events';
import { startNotifier } from './notifications';
import type { MediaLookup, UploadHandler } from './protocols';
import { appProtocolHandler } from './protocols';
import { APP_ENTRY_URL, APP_ID, APP_SCHEME, externalUrl, mainWindowOptions } from './security';
import type { LaunchRequests } from './singleInstance';
import { findSmsLink } from './smsLink';
import { fitToDisplays, loadWindowState, saveWindowState } from './windowState';

export interface ShellOptions {
  rpc: RpcServer;
  dataDir: string;
  logger: Logger;
  launches: LaunchRequests;
  media: MediaLookup;
  upload: UploadHandler;
}

/** Where the build put its siblings: out/main/index.js next to out/preload and out/renderer. */
const built = (path: string) => fileURLToPath(new URL(path, import.meta.url));
/** resources/ in the source tree, or next to app.asar once packaged (electron-builder extraResources). */
const resource = (name: string) => (app.isPackaged ? join(process.resourcesPath, name) : join(app.getAppPath(), 'resources', name));

/** The desktop shell around a running core: protocols, guards, the window, IPC, menu, notifications, badge, links. */
export function startShell({ rpc, dataDir, logger, launches, media, upload }: ShellOptions): { stop(): void } {
  const openExternal = (url: string) => {
    const safe = externalUrl(url);
    if (safe) shell.openExternal(safe).catch((error: unknown) => logger.warn('could not open a link', { error: String(error) }));
  };
  guardSession(session.defaultSession);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal));
  protocol.handle(APP_SCHEME, appProtocolHandler({ rendererDir: built('../renderer'), dataDir, media, upload }));

  const stateFile = join(dataDir, 'window-state.json');
  let window: BrowserWindow | null = null;
  const createWindow = () => {
    const state = fitToDisplays(loadWindowState(stateFile), screen.getAllDisplays().map((d) => d.workArea));
    const { maximized, ...bounds } = state;
    const win = new BrowserWindow({ ...mainWindowOptions(built('../preload/index.cjs'), bounds), icon: resource('icon.png') });
    if (maximized) win.maximize();
    win.once('ready-to-show', () => win.show());
    win.on('close', () => saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() }));
    win.on('closed', () => (window = null));
    void win.loadURL(APP_ENTRY_URL);
    window = win;
    return win;
  };
  const focusWindow = () => {
    const win = window ?? createWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return win;
  };
  /** A command reaches the page once it has loaded (a link can arrive while the window is still starting). */
  const issue = (command: AppCommand, focus = true) => {
    const win = focus ? focusWindow() : (window ?? createWindow());
    if (win.webContents.isLoading()) win.webContents.once('did-finish-load', () => rpc.emit('app.commandIssued', command));
    else rpc.emit('app.commandIssued', command);
  };

  createWindow();
  const detachIpc = attachIpcTransport(ipcMain, rpc, () => window?.webContents ?? null);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, { issue, openExternal }, { devTools: !app.isPackaged })));

  const notifications = new Set<Notification>(); // held, or a collected notification loses its click handler
  let viewedThread: string | null = null;
  const stopViewTracking = onCoreEvent(rpc, 'view.changed', ({ threadId }) => (viewedThread = threadId));
  const stopNotifier = startNotifier(rpc, {
    show(content, onClick) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ ...content, icon: resource('icon.png') });
      notifications.add(notification);
      notification.on('click', () => {
        notifications.delete(notification);
        onClick();
      });
      notification.on('close', () => notifications.delete(notification));
      notification.show();
    },
    isReading: (threadId) => (window?.isFocused() ?? false) && viewedThread === threadId,
    openThread: (threadId) => issue({ command: 'open-thread', threadId }),
  });

  const overlay = nativeImage.createFromPath(resource('badge.png'));
  const badge = startUnreadBadge(
    rpc,
    (total) => {
      if (process.platform === 'win32') window?.setOverlayIcon(total > 0 ? overlay : null, total > 0 ? `${total} unread` : '');
      else app.setBadgeCount(total);
    },
    logger,
  );

  // Windows shows notifications only for the AppUserModelID of the Start-menu shortcut the installer made.
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  if (app.isPackaged) app.setAsDefaultProtocolClient('sms');
  // A later launch brings us forward; on our own launch the window shows itself once ready (no blank flash).
  let ownLaunch = true;
  launches.onLaunch((argv) => {
    const link = findSmsLink(argv);
    if (link) issue({ command: 'new-conversation', to: link.to, text: link.body }, !ownLaunch);
    else if (!ownLaunch) focusWindow();
    ownLaunch = false;
  });
  app.on('activate', () => focusWindow());

  return {
    stop() {
      detachIpc();
      stopViewTracking();
      stopNotifier();
      badge.stop();
    },
  };
}

import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../../shared/ipc/contract';

export interface MenuActions {
  issue(command: AppCommand): void;
  openExternal(url: string): void;
}

export const HELP_URL = 'https://dev.bandwidth.com/docs/messaging/';

/**
 * The application menu: the platform's standard roles (so copy/paste, undo, zoom and quit behave natively) plus
 * our own commands with the same shortcuts the page handles and its guide lists (renderer/src/app/useShortcuts.ts).
 * A shortcut acts once: on Windows and Linux the page sees the key first and prevents it, on macOS the menu takes
 * it and sends the command.
 */
export function menuTemplate(platform: NodeJS.Platform, actions: MenuActions, options: { devTools: boolean }): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const command = (label: string, accelerator: string, issued: AppCommand): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => actions.issue(issued),
  });
  const settings = command(mac ? 'Settings…' : 'Settings', 'CmdOrCtrl+,', { command: 'open-settings' });
  return [
    ...(mac ? [{ role: 'appMenu' as const, submenu: [{ role: 'about' as const }, { type: 'separator' as const }, settings, { type: 'separator' as const }, { role: 'services' as const }, { type: 'separator' as const }, { role: 'hide' as const }, { role: 'hideOthers' as const }, { role: 'unhide' as const }, { type: 'separator' as const }, { role: 'quit' as const }] }] : []),
    {
      label: '&File',
      submenu: [
        command('New Conversation', 'CmdOrCtrl+N', { command: 'new-conversation', to: [], text: '' }),
        ...(mac ? [] : [{ type: 'separator' as const }, settings]),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        command('Search', 'CmdOrCtrl+K', { command: 'focus-search' }),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(options.devTools ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        command('Keyboard Shortcuts', 'CmdOrCtrl+/', { command: 'show-shortcuts' }),
        { label: 'Bandwidth Messaging Documentation', click: () => actions.openExternal(HELP_URL) },
      ],
    },
  ];
}

import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { AppCommand } from '../../../shared/ipc/contract';
import { appCommand } from '../../../shared/ipc/contract';
import { HELP_URL, menuTemplate } from './menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}
function build(platform: NodeJS.Platform, devTools = false) {
  const issued: AppCommand[] = [];
  const opened: string[] = [];
  const items = flatten(menuTemplate(platform, { issue: (c) => issued.push(c), openExternal: (u) => opened.push(u) }, { devTools }));
  const click = (label: string) => (items.find((i) => i.label === label)!.click as () => void)();
  return { items, issued, opened, click };
}

describe('menuTemplate', () => {
  it('uses the standard roles', () => {
    const roles = build('linux').items.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'help', 'quit', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']));
    const macRoles = build('darwin').items.map((i) => i.role);
    expect(macRoles).toEqual(expect.arrayContaining(['appMenu', 'about', 'hide', 'quit', 'close']));
  });

  it("issues the app's own commands with their shortcuts", () => {
    const { items, issued, click } = build('linux');
    const shortcuts = Object.fromEntries(items.filter((i) => i.click && i.accelerator).map((i) => [i.label, i.accelerator]));
    expect(shortcuts).toEqual({ 'New Conversation': 'CmdOrCtrl+N', Settings: 'CmdOrCtrl+,', Search: 'CmdOrCtrl+K', 'Keyboard Shortcuts': 'CmdOrCtrl+/' });
    for (const label of Object.keys(shortcuts)) click(label);
    expect(issued.map((c) => c.command)).toEqual(['new-conversation', 'open-settings', 'focus-search', 'show-shortcuts']);
    for (const command of issued) expect(appCommand.safeParse(command).success).toBe(true);
  });

  it('has no accelerator twice, on any platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const accelerators = build(platform, true).items.map((i) => i.accelerator).filter(Boolean);
      expect(new Set(accelerators).size, platform).toBe(accelerators.length);
    }
  });

  it('puts Settings in the app menu on macOS only, once', () => {
    expect(build('darwin').items.filter((i) => i.label?.startsWith('Settings'))).toHaveLength(1);
    expect(build('win32').items.filter((i) => i.label === 'Settings')).toHaveLength(1);
  });

  it('offers developer tools only when asked', () => {
    expect(build('linux').items.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(build('linux', true).items.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  it('opens the help link in the system browser', () => {
    const { opened, click } = build('linux');
    click('Bandwidth Messaging Documentation');
    expect(opened).toEqual([HELP_URL]);
  });
});

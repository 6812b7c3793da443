import { expect, test } from '@playwright/test';
import { findElectron, launch, type RunningApp } from './electronApp';

/**
 * The desktop app end to end: launching, sending, an inbound notification and an sms: link. Runs wherever an
 * Electron binary exists (a developer machine, the release machine against the packaged app); skipped with the
 * reason printed where it does not.
 */
const found = findElectron();
if ('reason' in found) console.log(`Electron end-to-end suite skipped: ${found.reason}`);

test.describe('Switchboard desktop', () => {
  test.skip('reason' in found, 'reason' in found ? found.reason : '');
  const electron = found as Exclude<typeof found, { reason: string }>;
  let running: RunningApp | null = null;
  test.afterEach(async () => {
    await running?.close();
    running = null;
  });

  test('launches into the app frame, fed over IPC, with no Node in the page', async () => {
    running = await launch(electron);
    const { window } = running;
    const errors: string[] = [];
    window.on('pageerror', (error) => errors.push(error.message));

    expect(window.url()).toBe('app://switchboard/index.html');
    await expect(window.getByTestId('thread-list')).toBeVisible();
    // Only a real account.status round trip through the preload and ipcMain puts the mode on screen.
    await expect(window.getByTestId('account-mode')).toHaveText('Sandbox');
    const page = await window.evaluate(() => ({
      bridge: Object.keys((window as unknown as { switchboard: object }).switchboard).sort(),
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
    }));
    expect(page).toEqual({ bridge: ['invoke', 'subscribe'], require: 'undefined', process: 'undefined' });
    expect(errors).toEqual([]);
  });

  test('sends a message and raises a notification for the reply while in the background', async () => {
    running = await launch(electron);
    const { app, window } = running;
    // Record notifications instead of showing them, and put the window in the background.
    await app.evaluate(({ BrowserWindow, Notification }) => {
      const shown: string[] = [];
      (globalThis as { shown?: string[] }).shown = shown;
      Notification.prototype.show = function show(this: Electron.Notification) {
        shown.push(`${this.title}: ${this.body}`);
      };
      for (const win of BrowserWindow.getAllWindows()) win.isFocused = () => false;
    });

    await window.getByTestId('new-conversation').click();
    // Maya Chen, one of the Sandbox's simulated customers (electron/main/sandbox/personas.ts): she answers.
    await window.getByTestId('recipient-input').fill('+19845550151');
    await window.getByTestId('start-conversation').click();
    await window.getByTestId('composer-input').fill('Hello from the desktop app');
    await window.getByTestId('send-button').click();
    await expect(window.locator('[data-testid="message"][data-direction="out"]').filter({ hasText: 'Hello from the desktop app' })).toBeVisible();

    // Her reply arrives as an inbound message and, the window being in the background, as a notification.
    await expect(window.locator('[data-testid="message"][data-direction="in"]').first()).toBeVisible({ timeout: 30_000 });
    await expect
      .poll(() => app.evaluate(() => (globalThis as { shown?: string[] }).shown ?? []))
      .toContainEqual(expect.stringContaining('Thanks! That helps a lot.'));
  });

  test('an sms: link opens a new conversation with the number and text filled in', async () => {
    running = await launch(electron, ['sms:+19195550123?body=Hi%20there']);
    const { window } = running;
    await expect(window.getByTestId('recipient-input')).toHaveValue(/919.*555.*0123/);
    await expect(window.getByTestId('composer-input')).toHaveValue('Hi there');
  });
});

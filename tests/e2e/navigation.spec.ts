import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { BrowserModeApp, expect, test } from './fixtures';
import { customerTexts, openApp, OURS, screenshotDir, threadItem } from './helpers';

/**
 * Finding one's way by keyboard and recovering from a lost connection, against the real core in browser mode:
 * the selected thread stays in view, focus comes back where it was, and the window says when it is not connected.
 */

/** Whether `inner` lies wholly inside `outer`'s box on screen. */
async function within(inner: Locator, outer: Locator) {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  return Boolean(a && b && a.y >= b.y - 0.5 && a.y + a.height <= b.y + b.height + 0.5);
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

test('Alt+↓ and Alt+↑ keep the selected thread in view', async ({ app, page, rpc }) => {
  for (let i = 0; i < 30; i++) await customerTexts(rpc, `+1646555${1000 + i}`, OURS.tollFree, `Question ${i} about my invoice`);
  await openApp(page, app.ready.url);
  await page.getByRole('button', { name: 'Only (888) 555-0102' }).click();
  const list = page.getByTestId('thread-list');
  await expect(page.getByTestId('thread-item').first()).toContainText('Question 29 about');
  await page.getByTestId('thread-item').first().click();
  const selected = page.locator('[data-testid="thread-item"][aria-selected="true"]');
  for (let i = 1; i <= 20; i++) {
    await page.keyboard.press('Alt+ArrowDown');
    await expect(selected).toContainText(`Question ${29 - i} about`);
    await expect.poll(() => within(selected, list), `after ${i} × Alt+↓`).toBe(true);
  }
  for (let i = 1; i <= 20; i++) await page.keyboard.press('Alt+ArrowUp');
  await expect(selected).toContainText('Question 29 about');
  await expect.poll(() => within(selected, list)).toBe(true);
});

test('focus comes back where it was when a dialog or the settings close', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, '+16465551000', OURS.tollFree, 'Hello');
  await openApp(page, app.ready.url);
  // From a button: the new-conversation dialog, the shortcut guide, the settings.
  await page.getByTestId('new-conversation').click();
  await expect(page.getByTestId('recipient-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('recipient-input')).toHaveCount(0);
  await expect(page.getByTestId('new-conversation')).toBeFocused();
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('settings').getByRole('button', { name: 'Account' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('settings')).toHaveCount(0);
  await expect(page.getByTestId('open-settings')).toBeFocused();

  // From the composer, by shortcut: Ctrl+N, Ctrl+/ and Ctrl+, each give the focus back to it.
  await threadItem(page, inbound.threadId).click();
  const composer = page.getByTestId('composer-input');
  await composer.focus();
  await page.keyboard.press('Control+n');
  await expect(page.getByTestId('recipient-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(composer).toBeFocused();
  await page.keyboard.press('Control+/');
  await expect(page.getByTestId('shortcut-guide').getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(composer).toBeFocused();
  await page.keyboard.press('Control+,');
  await expect(page.getByTestId('settings')).toBeVisible();
  await expect(page.getByTestId('settings').getByRole('button', { name: 'Account' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('settings')).toHaveCount(0);
  await expect(composer).toBeFocused();
});

test('a dialog leaves the thread list whole: it sits over the conversation, not across the rows', async ({ app, page, rpc }) => {
  await customerTexts(rpc, '+16465551045', OURS.tollFree, 'Hello, question about my invoice');
  await openApp(page, app.ready.url);
  await page.getByTestId('new-conversation').click();
  const dialog = page.getByRole('dialog', { name: 'New conversation' });
  const [box, list] = [await dialog.boundingBox(), await page.getByTestId('thread-list').boundingBox()];
  expect(box!.x).toBeGreaterThanOrEqual(list!.x + list!.width);
  await page.screenshot({ path: join(screenshotDir, 'navigation-dialog.png') });
});

test('the contact panel shows a number once when there is no name, and under the name once there is', async ({ app, page, rpc }) => {
  const inbound = await customerTexts(rpc, '+16465551045', OURS.tollFree, 'Hello, question about my invoice');
  await openApp(page, app.ready.url);
  await threadItem(page, inbound.threadId).click();
  await page.keyboard.press('Control+i');
  const panel = page.getByTestId('contact-panel');
  await expect(panel.getByText('(646) 555-1045', { exact: true })).toHaveCount(1);
  await panel.getByRole('textbox', { name: 'Name' }).fill('Dana Ruiz');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByText('Dana Ruiz', { exact: true })).toBeVisible();
  await expect(panel.getByText('(646) 555-1045', { exact: true })).toHaveCount(1);
});

test('the quick-reply fill-in form has a grid step between one field and the next label', async ({ app, page, rpc }) => {
  await rpc.client.call('settings.update', { quickReplies: [{ id: 'q1', title: 'Follow-up', body: 'Hi {name}, following up on {topic}.' }] });
  const inbound = await customerTexts(rpc, '+16465551045', OURS.tollFree, 'Hello, question about my invoice');
  await openApp(page, app.ready.url);
  await threadItem(page, inbound.threadId).click();
  await page.getByRole('button', { name: 'Quick replies' }).click();
  await page.getByRole('button', { name: /Follow-up/ }).click();
  const [nameInput, topicLabel] = [await page.getByLabel('name', { exact: true }).boundingBox(), await page.getByText('topic', { exact: true }).boundingBox()];
  expect(topicLabel!.y - (nameInput!.y + nameInput!.height)).toBeGreaterThanOrEqual(8);
  await page.screenshot({ path: join(screenshotDir, 'navigation-quick-reply.png') });
});

test('a lost connection shows a banner and hides stale figures; a restart on the same port says so, and the new address reconnects', async ({ page, context }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  const app = new BrowserModeApp(dataDir);
  // The same port on every start, as `npm run web` has by default: only the token changes.
  app.args = ['--port', String(await freePort())];
  try {
    const first = await app.start();
    await openApp(page, first.url);
    // The token left the address bar: a reload or another tab uses the newest run's.
    expect(page.url()).not.toContain('token=');
    const banner = page.getByTestId('connection-banner');
    await expect(banner).toHaveCount(0);
    await expect(page.getByTestId('queue-status')).toBeVisible();

    await app.stop();
    await expect(banner).toHaveAttribute('data-state', 'closed');
    await expect(banner).toContainText('Not connected to Switchboard');
    await expect(banner).toContainText('wait and go when it is back');
    await expect(page.getByTestId('connection-status')).toHaveText('Disconnected');
    await expect(page.getByTestId('queue-status')).toHaveCount(0);
    await expect(page.getByTestId('account-mode')).toHaveCount(0);
    await page.screenshot({ path: join(screenshotDir, 'navigation-disconnected.png') });

    // Restarted: the old token is refused. The window says so, and a reload alone cannot help yet.
    const second = await app.start();
    await expect(banner).toHaveAttribute('data-state', 'restarted');
    await expect(banner).toContainText('Switchboard restarted');
    await page.screenshot({ path: join(screenshotDir, 'navigation-restarted.png') });
    await banner.getByRole('button', { name: 'Reload' }).click();
    await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'restarted');
    // The new run's address, opened in this tab, connects it.
    await page.goto(second.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await expect(banner).toHaveCount(0);
    await expect(page.getByTestId('queue-status')).toBeVisible();

    // Restarted again, the new address opened in another tab: this one reconnects by itself.
    await app.stop();
    await expect(banner).toHaveAttribute('data-state', 'closed');
    const third = await app.start();
    await expect(banner).toHaveAttribute('data-state', 'restarted');
    const other = await context.newPage();
    await openApp(other, third.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await expect(banner).toHaveCount(0);
    // And a reload now finds the newest token too.
    await page.reload();
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

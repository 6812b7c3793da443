import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { installScriptedEngine } from './scriptedEngine';

/** The README's pictures: the main views in light and dark, on the scripted engine so they always show the same data. */
const dir = join(import.meta.dirname, '../../docs/screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: join(dir, `${name}.png`) });

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of the main views (${scheme})`, async ({ app, page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await installScriptedEngine(page);
    await page.goto(app.ready.url);
    await page.locator('[data-thread-id="t-ada"]').click();
    await expect(page.getByTestId('message').last()).toBeVisible();
    await page.getByTestId('composer-input').fill('Thanks — we’ll call you “tomorrow”.');
    await page.mouse.move(0, 0);
    await shot(page, `conversation-${scheme}`);

    await page.getByTestId('attachment-input').setInputFiles({ name: 'receipt-march.png', mimeType: 'image/png', buffer: await page.evaluate(async () => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 80, height: 80 });
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#16a34a';
      g.fillRect(0, 0, 80, 80);
      return [...new Uint8Array(await (await new Promise<Blob>((r) => canvas.toBlob((b) => r(b!), 'image/png'))).arrayBuffer())];
    }).then((bytes) => Buffer.from(bytes)) });
    await expect(page.getByTestId('attachment-chip')).toHaveAttribute('data-state', 'ready');
    await page.getByRole('button', { name: 'Quick replies' }).click();
    await shot(page, `composer-${scheme}`);
    await page.getByRole('button', { name: 'Quick replies' }).click();
    await page.getByRole('button', { name: 'Remove receipt-march.png' }).click();

    await page.locator('[data-thread-id="t-group"]').click();
    await page.locator('details.deliveries summary').click();
    await shot(page, `group-${scheme}`);

    await page.locator('[data-thread-id="t-failed"]').click();
    await expect(page.locator('.failure')).toBeVisible();
    await shot(page, `failed-${scheme}`);

    await page.keyboard.press('Control+k');
    await page.getByTestId('search-input').fill('invoice');
    await expect(page.getByTestId('search-result').first()).toBeVisible();
    await shot(page, `search-${scheme}`);
    await page.keyboard.press('Escape');

    await page.getByTestId('new-conversation').click();
    await page.getByTestId('recipient-input').pressSequentially('919555012');
    await shot(page, `new-conversation-${scheme}`);
    await page.keyboard.press('Escape');

    await page.getByTestId('open-settings').click();
    await page.getByRole('button', { name: 'Callbacks and tunnel' }).click();
    await shot(page, `settings-${scheme}`);

    await page.setViewportSize({ width: 900, height: 700 });
    await page.getByTestId('open-settings').click();
    await page.locator('[data-thread-id="t-ada"]').click();
    await shot(page, `narrow-${scheme}`);

    // A phone-sized window shows one pane at a time, with a way back to the list.
    await page.setViewportSize({ width: 420, height: 760 });
    await shot(page, `phone-${scheme}`);
    await page.getByRole('button', { name: 'Back to the conversations' }).click();
    await expect(page.getByTestId('thread-list')).toBeVisible();
  });
}

test('screenshot of the first start on the real Sandbox', async ({ app, page }) => {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.goto(app.ready.url);
  await expect(page.getByTestId('account-mode')).toHaveText('Sandbox');
  await shot(page, 'first-start-light');
});

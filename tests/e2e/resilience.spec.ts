import { expect, test } from './fixtures';

/** Against the real core, whatever it serves yet: no view may crash, and failures are shown in words. */
test('every view renders without page errors, and failed calls are shown, not thrown', async ({ app, page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(app.ready.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  for (const view of ['unread', 'failed', 'scheduled', 'opted-out', 'all']) await page.getByTestId(`view-${view}`).click();
  await page.keyboard.press('Control+k');
  await page.getByTestId('search-input').fill('anything');
  await expect(page.locator('.search-footer')).toHaveText(/result|Search failed/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+n');
  await page.getByTestId('recipient-input').fill('(984) 555-0151');
  await page.getByTestId('start-conversation').click();
  await expect(page.getByTestId('composer-input').or(page.getByTestId('recipient-feedback').filter({ hasText: /\S/ }))).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByTestId('open-settings').click();
  for (const section of ['Account', 'Numbers', 'Callbacks and tunnel', 'Messaging', 'Quick replies', 'Contacts', 'Appearance']) {
    await page.getByRole('button', { name: section, exact: true }).click();
    await expect(page.getByRole('heading', { name: section === 'Callbacks and tunnel' ? 'Callbacks and tunnel' : section, level: 2 })).toBeVisible();
  }
  expect(errors).toEqual([]);
});
